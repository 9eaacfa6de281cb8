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

/**
 * Starts `npm start`'s entry point exactly as a user would (`--memory`, PORT=0 for a
 * free port on 127.0.0.1) and waits for the URL it prints.
 */
export async function spawnLocalRuntime(env: Record<string, string> = {}): Promise<SpawnedRuntime> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "local/start.ts", "--memory"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...TEST_RUNTIME_DEFAULTS, ...env },
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
