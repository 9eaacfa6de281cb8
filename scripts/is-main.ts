import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** True when the module at `moduleUrl` is the script node was started with (not imported). */
export const isMain = (moduleUrl: string): boolean =>
  Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
