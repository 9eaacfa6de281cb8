/**
 * Reproducible artifacts: the same source and lock file give byte-identical Lambda zips, so a
 * pull request's plan lists a function only when its code changed.
 */
import AdmZip from "adm-zip";
import { expect } from "chai";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { buildApp } from "../stacks/app.js";
import { writeReproducibleZip } from "../stacks/function-bundle.js";
import { removeSynth, synthAll } from "./helpers/synth.js";

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("reproducible artifacts", function () {
  this.timeout(180_000);
  const scratch = mkdtempSync(join(tmpdir(), "auth-zips-"));
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await removeSynth();
  });

  it("a bundle's zip depends on its files' names and bytes only: not on write order, times or modes", () => {
    const write = (dir: string, order: string[], time: Date, mode: number) => {
      mkdirSync(dir);
      for (const name of order) {
        writeFileSync(join(dir, name), `contents of ${name}`);
        chmodSync(join(dir, name), mode);
        utimesSync(join(dir, name), time, time);
      }
    };
    write(join(scratch, "a"), ["index.js", "argon2.node", "index.js.map"], new Date(2020, 1, 2), 0o600);
    write(join(scratch, "b"), ["index.js.map", "index.js", "argon2.node"], new Date(2026, 10, 25), 0o755);
    writeReproducibleZip(join(scratch, "a"), join(scratch, "a.zip"));
    writeReproducibleZip(join(scratch, "b"), join(scratch, "b.zip"));
    expect(sha256(join(scratch, "a.zip"))).to.equal(sha256(join(scratch, "b.zip")));

    const entries = new AdmZip(join(scratch, "a.zip")).getEntries();
    expect(entries.map((e) => e.entryName)).to.deep.equal(["argon2.node", "index.js", "index.js.map"]);
    for (const entry of entries) {
      expect(entry.header.time.getFullYear(), entry.entryName).to.equal(1980);
      expect((entry.attr >>> 16) & 0o777, entry.entryName).to.equal(0o644);
      expect(entry.getData().toString()).to.equal(`contents of ${entry.entryName}`);
    }
    // A change of content is a change of zip.
    writeFileSync(join(scratch, "b", "index.js"), "other contents");
    writeReproducibleZip(join(scratch, "b"), join(scratch, "b.zip"));
    expect(sha256(join(scratch, "b.zip"))).not.to.equal(sha256(join(scratch, "a.zip")));
  });

  it("refuses a bundle folder that holds a folder (Lambda loads index.js from the zip's root)", () => {
    mkdirSync(join(scratch, "nested", "sub"), { recursive: true });
    expect(() => writeReproducibleZip(join(scratch, "nested"), join(scratch, "nested.zip"))).to.throw(/files only/);
  });

  it("two synths in a row, each bundling afresh into another folder, give every function the same zip", async () => {
    const first = (await synthAll()).stacks.dev;
    const root = join(scratch, "second");
    const app = await buildApp({ outdir: join(root, "cdktf.out"), bundleDir: join(root, "bundles"), requireRemoteState: false });
    app.synth();
    const secondDir = join(root, "cdktf.out", "stacks", "auth-dev");
    const second = JSON.parse(readFileSync(join(secondDir, "cdk.tf.json"), "utf8"));
    const functions = first.resources("aws_lambda_function");
    expect(Object.keys(functions)).to.have.length.greaterThan(10);
    for (const [id, fn] of Object.entries(functions)) {
      const again = second.resource.aws_lambda_function[id];
      expect(again.filename, fn.function_name).to.equal(fn.filename);
      expect(sha256(join(secondDir, again.filename)), fn.function_name).to.equal(sha256(join(first.dir, fn.filename)));
      // Nothing names the machine: the path is relative to the stack's folder, and no file in the zip spells the clone's path.
      expect(fn.filename, fn.function_name).to.match(/^assets\//);
      for (const entry of new AdmZip(join(first.dir, fn.filename)).getEntries()) {
        expect(entry.getData().includes(ROOT), `${fn.function_name}: ${entry.entryName}`).to.equal(false);
      }
    }
  });
});
