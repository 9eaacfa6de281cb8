/**
 * `npm run cdktf -- <command> [options]`: the project's cdktf CLI with its telemetry call off.
 * Without CHECKPOINT_DISABLE the CLI asks checkpoint-api.hashicorp.com for news on every run,
 * and a machine without that route prints a DNS error in the middle of its output.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const cliDir = dirname(createRequire(import.meta.url).resolve("cdktf-cli/package.json"));
const result = spawnSync(process.execPath, [join(cliDir, "bundle", "bin", "cdktf"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE || "1" },
});
process.exit(result.status ?? 1);
