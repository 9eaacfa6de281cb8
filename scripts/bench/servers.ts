/**
 * Child processes for the load runs, so the load generator does not share a process (and
 * its event loop) with the server it measures: the local runtime, and a `node:http` hello
 * world as the ceiling of this machine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { ROOT } from "../../bundle/bundler.js";

/** The environment as the bench found it: children must not inherit what the in-process runtime set (its dynalite's endpoint). */
const BASE_ENV = { ...process.env };

export interface Server {
  url: string;
  stop(): Promise<void>;
}

const HELLO = `require("node:http").createServer((q, s) => s.end("hello")).listen(0, "127.0.0.1", function () { console.log("listening on http://127.0.0.1:" + this.address().port); });`;

async function start(args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining, so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGINT");
      await once(child, "exit");
    },
  };
}

export const startHelloWorld = (): Promise<Server> => start(["-e", HELLO], BASE_ENV);

/** The local runtime with `env` on top of this process's, its access log off (API Gateway writes that outside Lambda). */
export const startRuntime = (env: Record<string, string>): Promise<Server> =>
  start(["--import", "tsx", join(ROOT, "scripts", "bench", "runtime-child.ts")], { ...BASE_ENV, ...env });
