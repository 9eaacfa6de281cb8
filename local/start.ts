/**
 * `npm start`: runs the whole API on http://127.0.0.1:$PORT (default 3000).
 *   --memory   keep nothing on disk (table and signing key vanish on exit)
 * Data otherwise lives in $LOCAL_DATA_DIR (default .data/, git-ignored).
 */
import { join } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { startLocalRuntime } from "./runtime.js";

const port = Number(process.env.PORT ?? 3000);
const runtime = await startLocalRuntime({
  port,
  memory: process.argv.includes("--memory"),
  dataDir: process.env.LOCAL_DATA_DIR ?? join(ROOT, ".data"),
  log: (line) => console.log(line),
}).catch((error: NodeJS.ErrnoException) => {
  const reason = error.code === "EADDRINUSE" ? `port ${port} is in use (set PORT to another one, or 0 for any free port)` : error.message;
  console.error(`could not start the local runtime: ${reason}`);
  process.exit(1);
});
// Before the "listening" line, which tells scripts and tests the runtime is up.
if (runtime.ses) console.log(`sent mail: ${runtime.ses.endpoint} (web view), ${runtime.ses.storeUrl} (JSON)`);
// The first thing a new user meets after register: say why a login may be 403 and how to change it.
console.log(
  process.env.REQUIRE_EMAIL_VERIFICATION === "false"
    ? "email verification: optional (REQUIRE_EMAIL_VERIFICATION=false)"
    : "email verification: required; open the link in the sent mail, or start with REQUIRE_EMAIL_VERIFICATION=false",
);
console.log(`auth API listening on ${runtime.url} (Ctrl-C to stop)`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping");
    runtime.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
