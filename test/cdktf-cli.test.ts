import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../bundle/bundler.js";

const run = promisify(execFile);

describe("cdktf CLI", function () {
  this.timeout(180_000);

  it("`cdktf synth` writes every stack, with no terraform binary on PATH", async () => {
    const out = mkdtempSync(join(tmpdir(), "auth-cli-synth-"));
    try {
      const PATH = (process.env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => !existsSync(join(dir, "terraform")))
        .join(delimiter);
      const cli = join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
      const { stdout } = await run(process.execPath, [cli, "synth", "--output", out], {
        cwd: ROOT,
        // REQUIRE_REMOTE_STATE=false: this checks the CLI, even inside GitHub Actions, where a real synth needs the backend files.
        env: { ...process.env, PATH, CHECKPOINT_DISABLE: "1", CI: "1", REQUIRE_REMOTE_STATE: "false" },
      });
      const stacks = ["auth-bootstrap", "auth-dev", "auth-prod", "auth-staging"];
      // The CLI wraps long lines.
      expect(stdout.replace(/\s+/g, " ")).to.include(`Generated Terraform code for the stacks: ${stacks.join(", ")}`);
      expect(readdirSync(join(out, "stacks")).sort()).to.deep.equal(stacks);
      for (const stack of stacks) expect(existsSync(join(out, "stacks", stack, "cdk.tf.json"))).to.equal(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
