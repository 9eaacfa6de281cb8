/**
 * `npm run synth`: bundles every function for Lambda and writes one Terraform JSON per
 * environment, then says where each went. The output folder is the cdktf CLI's (`--output`,
 * passed as CDKTF_OUTDIR), else cdktf.out.
 */
import { TerraformStack } from "cdktf";
import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { buildApp } from "../stacks/app.js";

const app = await buildApp();
app.synth();

/** Relative to where the command ran when inside it, else absolute. */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
};
console.log(`Lambda bundles (linux-arm64; each stack zips them): ${shown(join(ROOT, ".build", "lambda"))}/<function>/`);
for (const stack of app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack)) {
  const file = join(app.outdir, "stacks", stack.node.id, "cdk.tf.json");
  if (!existsSync(file)) throw new Error(`synth wrote no ${file}`);
  console.log(`${stack.node.id}: ${shown(file)}`);
}
console.log("deploy one with: npm run cdktf -- deploy auth-dev --var-file=environments/dev.tfvars.json");
