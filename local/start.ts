/**
 * `npm start`: runs the whole API on http://127.0.0.1:$PORT (default 3000).
 *   --memory   keep nothing on disk (table and signing key vanish on exit)
 * Data otherwise lives in $LOCAL_DATA_DIR (default .data/, git-ignored).
 */
import { join } from "node:path";
import { ROOT } from "../scripts/bundle.js";
import { startLocalRuntime } from "./runtime.js";

const runtime = await startLocalRuntime({
  port: Number(process.env.PORT ?? 3000),
  memory: process.argv.includes("--memory"),
  dataDir: process.env.LOCAL_DATA_DIR ?? join(ROOT, ".data"),
  log: (line) => console.log(line),
});
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
