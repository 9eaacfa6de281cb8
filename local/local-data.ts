/**
 * The local data folder of `npm start` (default .data/): what lives in it, a check that it
 * can be used before anything starts on it, and `--reset`, which deletes it. Every problem
 * is a LocalDataError: one line naming the file and saying how to recover.
 */
import type { KeyObject } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { KeyFileError } from "../handlers/lib/adapters/key-file.js";
import { loadOrCreateMacKeyFile } from "../handlers/lib/adapters/local-mac-key.js";
import { loadOrCreateSecretKeyFile } from "../handlers/lib/adapters/local-secret-box.js";
import { loadOrCreateKeyFile } from "../handlers/lib/adapters/local-signer.js";

/** What the runtime keeps in the folder; `--reset` deletes exactly these, never the folder itself. */
export const DATA_ENTRIES = {
  dynalite: "dynalite",
  signingKey: "signing-key.pem",
  refreshTokenKey: "refresh-token-key",
  secretKey: "secret-key",
} as const;

export const dataPaths = (dataDir: string) => ({
  dynalite: join(dataDir, DATA_ENTRIES.dynalite),
  signingKey: join(dataDir, DATA_ENTRIES.signingKey),
  refreshTokenKey: join(dataDir, DATA_ENTRIES.refreshTokenKey),
  secretKey: join(dataDir, DATA_ENTRIES.secretKey),
});

/** A local-data problem, already phrased for a person: what, where, and what to do. */
export class LocalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalDataError";
  }
}

export const RESET_HINT = "to start afresh, run `npm start -- --reset` (deletes the local users, sessions and keys)";

const damaged = (what: string) => new LocalDataError(`${what}; ${RESET_HINT}`);

/** Loads (creating when missing) the signing key, the refresh-token key and the secrets key; a bad file is a LocalDataError. */
export function loadLocalKeys(dataDir: string): { signingKey: KeyObject } {
  const paths = dataPaths(dataDir);
  try {
    const signingKey = loadOrCreateKeyFile(paths.signingKey);
    loadOrCreateMacKeyFile(paths.refreshTokenKey);
    loadOrCreateSecretKeyFile(paths.secretKey);
    return { signingKey };
  } catch (error) {
    if (error instanceof KeyFileError) throw damaged(`the local key file ${error.path} ${error.problem}`);
    throw error;
  }
}

/** The part of abstract-level this check uses (dynalite's own `level`, so the same LevelDB build). */
interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
  iterator(options: { keyEncoding: "buffer"; valueEncoding: "buffer" }): AsyncIterable<unknown>;
}
type LevelError = Error & { code?: string; cause?: LevelError };
const { Level } = createRequire(createRequire(import.meta.url).resolve("dynalite"))("level") as {
  Level: new (location: string, options: { createIfMissing: boolean }) => LevelDb;
};

/**
 * Opens dynalite's LevelDB folder and reads every entry once, then closes it. dynalite itself
 * meets a damaged folder (a truncated CURRENT, an emptied .ldb) with "Database is closed"
 * thrown from a callback, which kills the process with a stack trace; here it becomes one
 * line. Local data is small: reading it all takes milliseconds.
 */
export async function checkDynaliteFolder(path: string): Promise<void> {
  // Nothing there yet (first start, or dynalite was stopped before it wrote): a fresh store.
  if (!existsSync(path) || readdirSync(path).length === 0) return;
  const db = new Level(path, { createIfMissing: false });
  try {
    await db.open();
    for await (const _entry of db.iterator({ keyEncoding: "buffer", valueEncoding: "buffer" }));
  } catch (error) {
    const cause = (error as LevelError).cause ?? (error as LevelError);
    if (cause.code === "LEVEL_LOCKED") {
      throw new LocalDataError(`the local database ${path} is open in another process (another npm start?): stop it, or set LOCAL_DATA_DIR to another folder`);
    }
    throw damaged(`the local database ${path} is damaged (${cause.message.trim()})`);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** Deletes what the runtime keeps in `dataDir` (not the folder, nor anything else in it); returns what it deleted. */
export function resetLocalData(dataDir: string): string[] {
  const deleted = Object.values(DATA_ENTRIES).filter((entry) => existsSync(join(dataDir, entry)));
  for (const entry of deleted) rmSync(join(dataDir, entry), { recursive: true, force: true });
  return deleted;
}
