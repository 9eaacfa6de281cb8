import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * A local key file that cannot be used: empty, unreadable or not a key of the right kind.
 * Carries the path, so whoever started the process can say which file and how to recover.
 */
export class KeyFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = "KeyFileError";
  }
}

/**
 * Reads a local key file, first creating it with `create()` if it does not exist. Mode
 * 0600 and exclusive create: a key is never world-readable, nor overwritten by a race.
 */
export function readOrCreateKeyFile(path: string, create: () => string | Buffer): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, create(), { mode: 0o600, flag: "wx" });
  }
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    throw new KeyFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown error"})`);
  }
  if (content.length === 0) throw new KeyFileError(path, "is empty");
  return content;
}
