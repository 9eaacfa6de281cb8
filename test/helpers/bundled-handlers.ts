import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { FunctionName } from "../../handlers/functions.js";
import type { HttpEvent, HttpResult } from "../../handlers/lib/http/event.js";
import type { AuthorizerEvent, AuthorizerResult } from "../../handlers/authorizer.js";
import { bundles } from "./bundles.js";

const require = createRequire(import.meta.url);

/** Sets environment variables and returns a function that puts the previous values back. */
export function setEnv(values: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export interface Invocation<R> {
  result: R;
  /** The lines the function wrote with console.log (its JSON logger) during this call. */
  logs: string[];
}

export interface BundledHandlers {
  http(name: Exclude<FunctionName, "authorizer">, event: HttpEvent): Promise<Invocation<HttpResult>>;
  authorizer(event: AuthorizerEvent): Promise<Invocation<AuthorizerResult>>;
  /** Gives console.log back. */
  close(): void;
}

/**
 * The real host bundles (esbuild output, as `npm start` runs them), each loaded afresh so
 * its cold start reads the environment as it is now: set it first (see `setEnv`). Every
 * call captures what the function logged, so tests can assert on it and the run stays
 * quiet; call `close` in `after`.
 */
export async function loadBundledHandlers(): Promise<BundledHandlers> {
  const loaded: Record<string, (event: unknown) => Promise<unknown>> = {};
  for (const bundle of await bundles("host")) {
    const file = join(bundle.dir, "index.js");
    delete require.cache[require.resolve(file)];
    loaded[bundle.name] = (require(file) as { handler: (event: unknown) => Promise<unknown> }).handler;
  }
  // One console.log for the whole run, routing each line to the invocation that wrote it
  // (AsyncLocalStorage follows the awaits), so concurrent calls keep their logs apart.
  const current = new AsyncLocalStorage<string[]>();
  const original = console.log;
  const capture = (...args: unknown[]) => {
    const logs = current.getStore();
    if (logs) logs.push(args.map(String).join(" "));
    else original(...args);
  };
  console.log = capture;
  const invoke = async <R>(name: string, event: unknown): Promise<Invocation<R>> => {
    const logs: string[] = [];
    const result = (await current.run(logs, () => loaded[name](event))) as R;
    return { result, logs };
  };
  return {
    http: (name, event) => invoke(name, event),
    authorizer: (event) => invoke("authorizer", event),
    close() {
      if (console.log === capture) console.log = original;
    },
  };
}

let sourceCounter = 0;

/**
 * An API Gateway v2 (payload 2.0) event as the handlers read it: JSON content type, and a
 * fresh documentation source address per request so per-address limits never couple tests.
 */
export function httpEvent(
  method: string,
  path: string,
  options: { body?: unknown; cookies?: string[]; headers?: Record<string, string>; authorizer?: Record<string, unknown> } = {},
): HttpEvent {
  const n = sourceCounter++;
  return {
    headers: { "content-type": "application/json", ...options.headers },
    ...(options.cookies ? { cookies: options.cookies } : {}),
    ...(options.body === undefined ? {} : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      http: { method, path, sourceIp: `198.51.${Math.floor(n / 250) % 250}.${(n % 250) + 1}` },
      ...(options.authorizer ? { authorizer: { lambda: options.authorizer } } : {}),
    },
  };
}
