import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Reads a local key file, first creating it with `create()` if it does not exist. Mode
 * 0600 and exclusive create: a key is never world-readable, nor overwritten by a race.
 */
export function readOrCreateKeyFile(path: string, create: () => string | Buffer): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, create(), { mode: 0o600, flag: "wx" });
  }
  return readFileSync(path);
}
