/**
 * One `npm start` per data folder. Two would share dynalite's LevelDB, which allows one
 * process: the second died with a raw "Database is closed". The lock is a file in the folder
 * holding the owner's pid and, once it listens, its URL, so the refusal can name both.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalDataError } from "./local-data.js";

export const LOCK_FILE = "npm-start.lock";

interface Holder {
  pid: number;
  url?: string;
}

export interface DataLock {
  /** Records the URL the runtime listens on, for the message another start will print. */
  announce(url: string): void;
  /** Removes the lock (synchronous: also safe in a process "exit" handler). */
  release(): void;
}

/** True when a process with this pid exists (EPERM: it does, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, "utf8")) as Partial<Holder>;
    return Number.isInteger(holder.pid) && holder.pid! > 0 ? { pid: holder.pid!, url: typeof holder.url === "string" ? holder.url : undefined } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the folder's lock or throws a LocalDataError naming the folder and the instance that
 * holds it. A lock whose process is gone (a crash, a kill -9) is taken over. The file is
 * written whole, then linked into place: `link` fails if the name exists, so of two starts
 * exactly one wins, and no reader ever sees a half-written file.
 */
export function lockDataDir(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  /** Writes the holder to a temporary file, then links it into place (fails if taken) or renames it over ours. */
  const write = (holder: Holder, place: "link" | "replace") => {
    const temp = `${file}.${process.pid}`;
    writeFileSync(temp, `${JSON.stringify(holder)}\n`);
    try {
      if (place === "link") linkSync(temp, file);
      else renameSync(temp, file);
    } finally {
      rmSync(temp, { force: true });
    }
  };
  // Two rounds: the second follows the removal of a stale lock.
  for (let round = 0; round < 2; round++) {
    try {
      write({ pid: process.pid }, "link");
      let released = false;
      return {
        announce: (url) => {
          if (!released) write({ pid: process.pid, url }, "replace");
        },
        release: () => {
          if (released) return;
          released = true;
          if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(file);
    if (holder && isRunning(holder.pid)) {
      const where = holder.url ? `pid ${holder.pid}, ${holder.url}` : `pid ${holder.pid}, still starting`;
      throw new LocalDataError(
        `the local data folder ${dataDir} is in use by another npm start (${where}): stop it, or start this one with --memory or LOCAL_DATA_DIR=<another folder> (if none is running, delete ${file})`,
      );
    }
    // Its process is gone, or the file is not a lock this code wrote: take it over.
    rmSync(file, { force: true });
  }
  throw new LocalDataError(`could not lock the local data folder ${dataDir}: another npm start took it at the same moment`);
}
