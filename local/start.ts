/**
 * `npm start`: runs the whole API on http://127.0.0.1:$PORT (default 3000).
 *   --memory         keep nothing on disk (table and keys vanish on exit)
 *   --reset [--yes]  delete the local data first, after asking (--yes: without asking)
 *   --rs256          sign access tokens with RS256 (an RSA key of its own) instead of ES256
 * Data otherwise lives in $LOCAL_DATA_DIR (default .data/, git-ignored). Every failure to
 * start is one line on stderr and exit code 1.
 */
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { ROOT } from "../bundle/bundler.js";
import { startLocalRuntime, type LocalRuntime } from "./runtime.js";

const fail = (reason: string): never => {
  console.error(`could not start the local runtime: ${reason}`);
  process.exit(1);
};

const KNOWN_FLAGS = new Set(["--memory", "--reset", "--yes", "--rs256"]);
const flags = process.argv.slice(2);
const unknown = flags.find((flag) => !KNOWN_FLAGS.has(flag));
if (unknown !== undefined) fail(`unknown option ${unknown} (known: --memory, --reset, --yes, --rs256)`);
const memory = flags.includes("--memory");
const signingAlgorithm = flags.includes("--rs256") ? "RS256" : "ES256";
const reset = flags.includes("--reset");
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number from 0 to 65535, got "${process.env.PORT}"`);
const dataDir = process.env.LOCAL_DATA_DIR ?? join(ROOT, ".data");

if (reset) {
  if (memory) fail("--reset deletes the local data folder, and --memory does not use one: choose one");
  if (!flags.includes("--yes")) {
    if (!process.stdin.isTTY) fail(`--reset deletes the local users, sessions and keys in ${dataDir}: add --yes to confirm (there is no terminal to ask)`);
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    prompt.on("SIGINT", () => {
      console.log("\nnothing deleted");
      process.exit(130);
    });
    const answer = await prompt.question(`Delete the local users, sessions and keys in ${dataDir}? [y/N] `);
    prompt.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      console.log("nothing deleted");
      process.exit(0);
    }
  }
}

// Ctrl-C during start-up (building the bundles takes seconds) still cleans up: the start
// finishes or fails, then stops, so a --memory folder holding a private key never stays behind.
let stopping = false;
let runtime: LocalRuntime | undefined;
const closeAndExit = (started: LocalRuntime) =>
  started.close().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`could not stop cleanly: ${error.message}`);
      process.exit(1);
    },
  );
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping");
    if (runtime) void closeAndExit(runtime);
  });
}

runtime = await startLocalRuntime({ port, memory, reset, dataDir, signingAlgorithm, log: (line) => console.log(line) }).catch((error: NodeJS.ErrnoException) =>
  fail(error.code === "EADDRINUSE" ? `port ${port} is in use (set PORT to another one, or 0 for any free port)` : error.message),
);
if (stopping) {
  // Asked to stop while starting: close what just started.
  void closeAndExit(runtime);
} else {
  const env = process.env;
  console.log(memory ? "data: in memory only (--memory), gone when this stops" : `data: ${dataDir} (\`npm start -- --reset\` deletes it)`);
  console.log(`tokens: issuer ${env.ISSUER}, tenants ${env.TENANTS}${env.DEFAULT_TENANT ? ` (default ${env.DEFAULT_TENANT})` : ""}`);
  console.log(`signing: ${signingAlgorithm}${signingAlgorithm === "ES256" ? " (`npm start -- --rs256` for RS256, as API Gateway's JWT authorizer needs)" : ""}`);
  if (runtime.ses) console.log(`sent mail: ${runtime.ses.endpoint} (web view), ${runtime.ses.storeUrl} (JSON)`);
  // The first thing a new user meets after register: say why a login may be 403 and how to change it.
  console.log(
    env.REQUIRE_EMAIL_VERIFICATION === "false"
      ? "email verification: optional (REQUIRE_EMAIL_VERIFICATION=false)"
      : "email verification: required; open the link in the sent mail, or start with REQUIRE_EMAIL_VERIFICATION=false",
  );
  // Last: scripts and tests wait for this line to know the runtime is up.
  // Exactly this URL: a page on localhost would be another site, and its refresh cookie would never be stored.
  console.log(`demo app: ${runtime.url}/ (open it on this exact host)`);
  console.log(`auth API listening on ${runtime.url} (Ctrl-C to stop)`);
}
