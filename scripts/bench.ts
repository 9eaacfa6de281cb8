/**
 * `npm run bench`: latency through the local runtime (real bundles, dynalite, API Gateway
 * stand-in) on this machine. Numbers, not assertions: machines here are shared and noisy,
 * so compare ratios within one run rather than absolute times across runs.
 */
import { startLocalRuntime } from "../local/runtime.js";

const LOGINS = Number(process.env.BENCH_LOGINS ?? 40);
const READS = Number(process.env.BENCH_READS ?? 400);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (name: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(`${name.padEnd(24)} n=${String(samples.length).padEnd(4)} p50=${percentile(sorted, 50).toFixed(1)}ms p95=${percentile(sorted, 95).toFixed(1)}ms mean=${mean.toFixed(1)}ms`);
  return percentile(sorted, 50);
};

async function timed(fn: () => Promise<Response>): Promise<[number, Response]> {
  const start = performance.now();
  const response = await fn();
  await response.arrayBuffer();
  return [performance.now() - start, response];
}

// Every request comes from 127.0.0.1: lift the per-address limits so they do not cut the series short.
process.env.SOURCE_FAILED_LOGINS_PER_WINDOW ??= "1000000";
process.env.SOURCE_SIGNUPS_PER_WINDOW ??= "1000000";
const runtime = await startLocalRuntime({ port: 0, memory: true, dataDir: "", log: () => {} });
try {
  const post = (path: string, body: unknown) =>
    fetch(runtime.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const credentials = { email: "bench@example.com", password: "benchmark-password-1" };
  await post("/auth/register", credentials);

  const logins: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const [ms, response] = await timed(() => post("/auth/login", credentials));
    if (response.status !== 200) throw new Error(`login answered ${response.status}`);
    logins.push(ms);
  }
  // Unknown email and wrong password must cost the same (one argon2id verify each).
  const wrongPassword: number[] = [];
  const unknownEmail: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    wrongPassword.push((await timed(() => post("/auth/login", { ...credentials, password: "wrong-password-123" })))[0]);
    // A success resets the account's failure counter, so the lockout never answers instead of argon2id.
    await (await post("/auth/login", credentials)).arrayBuffer();
    unknownEmail.push((await timed(() => post("/auth/login", { email: `nobody${i}@example.com`, password: "wrong-password-123" })))[0]);
  }
  const token = ((await (await post("/auth/login", credentials)).json()) as { access_token: string }).access_token;

  const me = (authorization: string) => fetch(`${runtime.url}/me`, { headers: { authorization } });
  const reads: number[] = [];
  for (let i = 0; i < READS; i++) reads.push((await timed(() => me(`Bearer ${token}`)))[0]);
  const jwks: number[] = [];
  for (let i = 0; i < READS; i++) jwks.push((await timed(() => fetch(`${runtime.url}/.well-known/jwks.json`)))[0]);

  console.log(`node ${process.version}, ${LOGINS} logins, ${READS} reads each`);
  const loginP50 = summary("POST /auth/login", logins);
  const wrongP50 = summary("login, wrong password", wrongPassword);
  const unknownP50 = summary("login, unknown email", unknownEmail);
  // After the first request the authorizer's answer comes from the gateway's cache, as in AWS.
  const meP50 = summary("GET /me", reads);
  const jwksP50 = summary("GET jwks (no store)", jwks);
  console.log(
    `ratios (p50): login/me ${(loginP50 / meP50).toFixed(1)}x, me/jwks ${(meP50 / jwksP50).toFixed(1)}x, ` +
      `unknown email/wrong password ${(unknownP50 / wrongP50).toFixed(2)}x`,
  );
} finally {
  await runtime.close();
}
