import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { ROOT } from "../../bundle/bundler.js";
import { TEST_RUNTIME_DEFAULTS } from "./in-process-runtime.js";

export interface SpawnedRuntime {
  url: string;
  output: () => string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Environment for `npm start`'s entry point: the test's, PORT=0, the test defaults, then `env` (undefined removes a variable). */
function startEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, PORT: "0", ...TEST_RUNTIME_DEFAULTS, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return merged;
}

/**
 * Starts `npm start`'s entry point exactly as a user would (`--memory` unless other
 * arguments are given, PORT=0 for a free port on 127.0.0.1) and waits for the URL it prints.
 */
export async function spawnLocalRuntime(env: Record<string, string | undefined> = {}, args: readonly string[] = ["--memory"]): Promise<SpawnedRuntime> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "local/start.ts", ...args], {
    cwd: ROOT,
    env: startEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local runtime did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local runtime exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGINT");
      const [code] = await once(child, "exit");
      return code as number | null;
    },
  };
}

export interface FinishedStart {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm start`'s entry point until it exits by itself (a start that must fail), stdin
 * closed as in a script. Killed after `timeoutMs` if it starts after all.
 */
export async function runStartToExit(env: Record<string, string | undefined>, args: readonly string[], timeoutMs = 60_000): Promise<FinishedStart> {
  const child = spawn(process.execPath, ["--import", "tsx", "local/start.ts", ...args], { cwd: ROOT, env: startEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
  // "close", not "exit": by then stdout and stderr have been read to the end.
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
