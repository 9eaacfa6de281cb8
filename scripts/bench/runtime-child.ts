/** The local runtime for a load run: in memory, no access log, stopped by SIGINT. */
import { startLocalRuntime } from "../../local/runtime.js";

const runtime = await startLocalRuntime({ port: 0, memory: true, dataDir: "", log: () => {} });
console.log(`listening on ${runtime.url}`);
process.once("SIGINT", () => void runtime.close().then(() => process.exit(0)));
