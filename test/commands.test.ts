/**
 * The project's commands around cdktf and the bundler, run as a user runs them: what they
 * write, and what they say about it.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../bundle/bundler.js";
import { functions } from "../handlers/functions.js";

const run = promisify(execFile);
const STACKS = ["auth-bootstrap", "auth-dev", "auth-prod", "auth-staging"];
/** A synth to look at: local state is fine even inside GitHub Actions, where a real one needs the backend files. */
const LOCAL_STATE = { REQUIRE_REMOTE_STATE: "false" };
/** The environment without CHECKPOINT_DISABLE: the project's own scripts must set it. */
const envWithout = (name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env[name];
  return env;
};

describe("cdktf CLI and the project's commands", function () {
  this.timeout(180_000);

  it("`npm run cdktf -- synth` writes every stack with no terraform binary on PATH, and no telemetry call (CHECKPOINT_DISABLE set by the script)", async () => {
    const out = mkdtempSync(join(tmpdir(), "auth-cli-synth-"));
    try {
      const PATH = (process.env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => !existsSync(join(dir, "terraform")))
        .join(delimiter);
      const { stdout, stderr } = await run("npm", ["run", "--silent", "cdktf", "--", "synth", "--output", out], {
        cwd: ROOT,
        env: envWithout("CHECKPOINT_DISABLE", { PATH, CI: "1", ...LOCAL_STATE }),
      });
      // The CLI wraps long lines.
      expect(stdout.replace(/\s+/g, " ")).to.include(`Generated Terraform code for the stacks: ${STACKS.join(", ")}`);
      expect(stdout + stderr).not.to.match(/checkpoint|ENOTFOUND|EAI_AGAIN|getaddrinfo/i);
      expect(readdirSync(join(out, "stacks")).sort()).to.deep.equal(STACKS);
      for (const stack of STACKS) expect(existsSync(join(out, "stacks", stack, "cdk.tf.json"))).to.equal(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("`npm run synth` says where the Lambda bundles and each stack went", async () => {
    const out = mkdtempSync(join(tmpdir(), "auth-npm-synth-"));
    try {
      // CDKTF_OUTDIR is how the CLI passes --output to the app.
      const { stdout } = await run("npm", ["run", "--silent", "synth"], { cwd: ROOT, env: { ...process.env, ...LOCAL_STATE, CDKTF_OUTDIR: out } });
      const lines = stdout.trim().split("\n");
      expect(lines[0]).to.equal("Lambda bundles (linux-arm64; each stack zips them): .build/lambda/<function>/");
      for (const stack of STACKS) {
        const file = join(out, "stacks", stack, "cdk.tf.json");
        expect(lines).to.include(`${stack}: ${file}`);
        expect(existsSync(file)).to.equal(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("`npm run build` says its target (host bundles, not deployable) and where each bundle went", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "build"], { cwd: ROOT });
    const [head, ...rest] = stdout.trim().split("\n");
    expect(head).to.equal(`host bundles for npm start (${process.platform}-${process.arch}; not deployable, \`npm run synth\` builds the Lambda ones) in dist/:`);
    expect(rest.map((line) => line.trim().split(/\s+/)[0])).to.deep.equal(functions.map((fn) => `${fn.name}/`));
    for (const fn of functions) expect(existsSync(join(ROOT, "dist", fn.name, "index.js"))).to.equal(true);
  });
});
