import AdmZip from "adm-zip";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The zip format's earliest time (1980-01-01): every entry gets it, so no build time leaks in. */
const ZIP_EPOCH = new Date(1980, 0, 1);
/** Every entry is an ordinary readable file; Lambda needs no other bit, and umasks differ between machines. */
const FILE_MODE = 0o644;

/**
 * One function's esbuild output folder as a zip asset. The bundles are built for Lambda
 * (linux-arm64 argon2) by `buildApp` before the stacks are composed, during synth, so no
 * separate build step can be forgotten.
 *
 * The zip is made here rather than by cdktf's ARCHIVE asset, which stores each file's
 * modification time and mode in directory-listing order: every synth then gave every function
 * a new `source_code_hash`, so each plan listed every Lambda as changed. This one depends on
 * the files' names and bytes only, so a plan with no code change shows no Lambda change.
 */
export class FunctionBundle extends Construct {
  readonly asset: TerraformAsset;

  constructor(scope: Construct, id: string, props: { dir: string }) {
    super(scope, id);
    const zipFile = `${props.dir}.zip`;
    writeReproducibleZip(props.dir, zipFile);
    this.asset = new TerraformAsset(this, "zip", { path: zipFile, type: AssetType.FILE });
  }
}

/** Zips a flat folder: entries sorted by name, one fixed time and mode, no paths but the names. */
export function writeReproducibleZip(dir: string, zipFile: string): void {
  const zip = new AdmZip();
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    // Lambda loads index.js from the zip's root; a bundle never has folders.
    if (!statSync(file).isFile()) throw new Error(`${file}: a function bundle holds files only`);
    zip.addFile(name, readFileSync(file), "", FILE_MODE).header.time = ZIP_EPOCH;
  }
  zip.writeZip(zipFile);
}
