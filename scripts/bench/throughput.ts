/**
 * Load runs with autocannon, each bounded in time: GET /me with the gateway's authorizer
 * cache on and off against a hello-world ceiling, then the logins and refreshes per second
 * this machine sustains. A run that saw any 5xx says so: a rate with errors is no rate.
 */
import autocannon from "autocannon";
import { startHelloWorld, startRuntime, type Server } from "./servers.js";

export interface LoadRow {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  serverErrors: number;
}

export interface LoadOptions {
  seconds: number;
  connections: number;
  /** Environment for the runtime (limits lifted, verification off, log level). */
  env: Record<string, string>;
}

type Request = autocannon.Request;

async function load(name: string, url: string, requests: Request[], options: { seconds: number; connections: number }): Promise<LoadRow> {
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds, requests });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    serverErrors: result["5xx"],
  };
}

async function json(url: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function withServer<T>(server: Promise<Server>, work: (url: string) => Promise<T>): Promise<T> {
  const running = await server;
  try {
    return await work(running.url);
  } finally {
    await running.stop();
  }
}

export async function benchLoad(options: LoadOptions): Promise<{ reads: LoadRow[]; saturation: LoadRow[] }> {
  const { seconds, connections } = options;
  const reads: LoadRow[] = [];
  reads.push(await withServer(startHelloWorld(), (url) => load("node:http hello world (ceiling)", url, [{ method: "GET", path: "/" }], options)));

  const credentials = { email: "load@example.com", password: "benchmark-password-1" };
  const signedIn = async (url: string) => {
    await json(url, "/auth/register", credentials);
    return json(url, "/auth/login", credentials);
  };
  for (const ttl of ["60", "0"]) {
    reads.push(
      await withServer(startRuntime({ ...options.env, AUTHORIZER_CACHE_TTL_SECONDS: ttl }), async (url) => {
        const tokens = await signedIn(url);
        const me = { method: "GET", path: "/me", headers: { authorization: `Bearer ${tokens.access_token}` } } as Request;
        return load(`GET /me, authorizer cache ${ttl === "0" ? "off" : `${ttl} s`}`, url, [me], options);
      }),
    );
  }

  const saturation = await withServer(startRuntime(options.env), async (url) => {
    await signedIn(url);
    // Many users, as in life: concurrent logins of one account contend for its lockout counter.
    const users = Array.from({ length: connections * 4 }, (_, i) => ({ ...credentials, email: `load-${i}@example.com` }));
    for (const user of users) await json(url, "/auth/register", user);
    let next = 0;
    const login = {
      method: "POST",
      path: "/auth/login",
      headers: { "content-type": "application/json" },
      setupRequest: (request: Request) => ({ ...request, body: JSON.stringify(users[next++ % users.length]) }),
    } as Request;
    const logins = await load("POST /auth/login (sustained)", url, [login], { seconds, connections });

    // Each refresh token is used once: a shared pool hands one to each request and takes back its successor.
    const pool: string[] = [];
    for (let i = 0; i < connections * 2; i++) pool.push((await json(url, "/auth/login", credentials)).refresh_token);
    const refresh = {
      method: "POST",
      path: "/auth/refresh",
      headers: { "content-type": "application/json" },
      setupRequest: (request: Request) => ({ ...request, body: JSON.stringify({ refresh_token: pool.shift() ?? "" }) }),
      onResponse: (status: number, body: string) => {
        if (status === 200) pool.push(JSON.parse(body).refresh_token);
      },
    } as Request;
    const refreshes = await load("POST /auth/refresh (sustained)", url, [refresh], { seconds, connections });
    return [logins, refreshes];
  });
  return { reads, saturation };
}
