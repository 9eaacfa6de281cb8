/**
 * The whole local runtime (real host bundles, dynalite, the API Gateway stand-in) inside
 * the test process, so a test can read the table, take DynamoDB away and back, and see
 * every log line the bundles write.
 *
 * The bundles read process.env at load and log through console.*, both process-wide: run
 * one instance at a time (one per test file, `before`/`after`). Starting sets the env and
 * swaps the console; `close` restores both.
 */
import { ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { localDynamoClient, type RunningDynalite } from "../../local/dynalite.js";
import { startLocalRuntime } from "../../local/runtime.js";
import { startLocalSes, type RunningSes } from "../../local/ses.js";

export type Item = Record<string, AttributeValue>;

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Loopback address to send from (127.x.y.z), seen by the runtime as the source IP; 127.0.0.1 where the OS has no other. */
  from?: string;
}

export interface InProcessRuntime {
  url: string;
  /** dynalite on a data folder: `close()` takes the table away, `reopen()` brings it back on the same port. */
  dynamo: RunningDynalite;
  /** The runtime's local SES server: sent mail is read from `ses.storeUrl` (test/helpers/local-ses.ts). */
  ses: RunningSes;
  tableName: string;
  /** Every line the bundles wrote to the console while running, in order. */
  console: string[];
  /** The gateway's access log: one JSON line per request (`{"method":"POST","path":"/auth/login","status":401,...}`). */
  accessLog: string[];
  send(request: RawRequest): Promise<Reply>;
  /** A JSON request as a well-behaved client sends it (`content-type: application/json`). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Every item in the table. */
  scan(): Promise<Item[]>;
  /** Runs `work` while the local SES server is down (sends fail), then brings it back on the same port. */
  withSesStopped<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * No refresh grace window (issue 11's `refresh_reuse_grace_seconds`, 0..60): a second use of
 * a replaced refresh token is refused at once, so flows can assert "works exactly once".
 */
export const NO_REFRESH_GRACE = { REFRESH_REUSE_GRACE_SECONDS: "0" } as const;

/**
 * What every test runtime starts with unless the test says otherwise: email verification
 * off (the product's default is on), so flows that are not about it sign in right after
 * register, and no minimum duration on mail requests (tests that measure it set one).
 */
export const TEST_RUNTIME_DEFAULTS = { REQUIRE_EMAIL_VERIFICATION: "false", EMAIL_REQUEST_MIN_MS: "0" } as const;

/** Counter items (lockout, per-source windows) change on refused requests by design. */
export const COUNTER_KEY_PREFIXES = ["LOGIN#", "SOURCE#"] as const;

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_SCAN_PAGES = 100;

let running = false;

/**
 * Starts the runtime with `env` on top of the test process's environment. With `dataDir`,
 * the data lives there and outlives `close` (a restart test reopens it); by default, in a
 * temporary folder removed on close. With `port`, it listens there (default: any free one),
 * so a test can make the issuer its URL (test/helpers/free-port.ts).
 */
export async function startInProcessRuntime(env: Record<string, string> = {}, options: { dataDir?: string; port?: number } = {}): Promise<InProcessRuntime> {
  if (running) throw new Error("an in-process runtime is already running in this process: close it first");
  running = true;
  const savedEnv = { ...process.env };
  const savedConsole = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  const restore = () => {
    for (const [name, fn] of savedConsole) console[name] = fn;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    running = false;
  };

  const lines: string[] = [];
  const accessLog: string[] = [];
  for (const name of CONSOLE_METHODS) console[name] = (...args: unknown[]) => void lines.push(format(...args));
  // This harness always runs its own dynalite, even for a developer who uses LocalStack.
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  delete process.env.AWS_ENDPOINT_URL_SESV2;
  Object.assign(process.env, TEST_RUNTIME_DEFAULTS, env);

  // A data folder rather than memory: only then can dynalite reopen with the same data.
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "auth-in-process-"));
  const removeData = () => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const runtime = await startLocalRuntime({ port: options.port ?? 0, memory: false, dataDir, log: (line) => accessLog.push(line) }).catch(
    (error) => {
      removeData();
      restore();
      throw error;
    },
  );
  const dynamo = runtime.dynamo!;
  const tableName = process.env.TABLE_NAME!;
  const admin = localDynamoClient(dynamo.endpoint);
  /** The SES server after an outage: the runtime closes only the one it started. */
  let restartedSes: RunningSes | undefined;

  const send = (req: RawRequest) =>
    sendRaw(runtime.url, req).catch((error: NodeJS.ErrnoException) => {
      // Linux routes all of 127.0.0.0/8 to loopback; macOS configures only 127.0.0.1.
      if (error.code === "EADDRNOTAVAIL" && req.from) return sendRaw(runtime.url, { ...req, from: undefined });
      throw error;
    });
  return {
    url: runtime.url,
    dynamo,
    ses: runtime.ses!,
    tableName,
    console: lines,
    accessLog,
    send,
    call: (method, path, body, headers = {}) =>
      send({
        method,
        path,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async scan() {
      const items: Item[] = [];
      let start: Item | undefined;
      for (let page = 0; page < MAX_SCAN_PAGES; page++) {
        const result = await admin.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
        items.push(...(result.Items ?? []));
        start = result.LastEvaluatedKey;
        if (!start) return items;
      }
      throw new Error(`the table has more than ${MAX_SCAN_PAGES} pages`);
    },
    async withSesStopped(work) {
      const current = restartedSes ?? runtime.ses!;
      const port = Number(new URL(current.endpoint).port);
      await current.close();
      try {
        return await work();
      } finally {
        restartedSes = await startLocalSes({ port });
      }
    },
    async close() {
      try {
        admin.destroy();
        await restartedSes?.close();
        await runtime.close();
      } finally {
        removeData();
        restore();
      }
    },
  };
}

/** One HTTP request on a fresh connection (so `from` applies), bounded in time. */
function sendRaw(base: string, req: RawRequest): Promise<Reply> {
  const url = new URL(req.path, base);
  const body = req.body === undefined ? undefined : typeof req.body === "string" ? Buffer.from(req.body) : Buffer.from(req.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: req.method,
        headers: { ...req.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        localAddress: req.from,
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: parseJson(text) });
        });
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`${req.method} ${req.path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The items that must not change on a refused request: all but the counters, keyed by pk and sk. */
export function durableState(items: readonly Item[]): Record<string, Item> {
  const state: Record<string, Item> = {};
  for (const item of items) {
    const pk = item.pk?.S ?? "";
    if (COUNTER_KEY_PREFIXES.some((prefix) => pk.startsWith(prefix))) continue;
    state[`${pk} ${item.sk?.S ?? ""}`] = item;
  }
  return state;
}
