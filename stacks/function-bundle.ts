import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";

/**
 * One function's esbuild output folder as a zip asset. The bundles are built for Lambda
 * (linux-arm64 argon2) by `buildApp` before the stacks are composed, during synth, so no
 * separate build step can be forgotten.
 */
export class FunctionBundle extends Construct {
  readonly asset: TerraformAsset;

  constructor(scope: Construct, id: string, props: { dir: string }) {
    super(scope, id);
    this.asset = new TerraformAsset(this, "zip", { path: props.dir, type: AssetType.ARCHIVE });
  }
}
