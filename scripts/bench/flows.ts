/**
 * Login, refresh, register and /me through the local runtime (the real host bundles,
 * dynalite, the API Gateway stand-in), each beside the parts it is made of, measured alone
 * in the same run: argon2id, one DynamoDB request, one signature.
 */
import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { generateKeyPairSync } from "node:crypto";
import { argon2idHasher } from "../../handlers/lib/adapters/argon2-hasher.js";
import { localSigner } from "../../handlers/lib/adapters/local-signer.js";
import { localDynamoClient } from "../../local/dynalite.js";
import type { LocalRuntime } from "../../local/runtime.js";
import { median, percentile } from "./stats.js";

export interface FlowRow {
  name: string;
  p50: number;
  p95: number;
}

export interface FlowResults {
  flows: FlowRow[];
  parts: FlowRow[];
  /** Login median minus one argon2id verify's median: what the service adds to the password check. */
  loginOverheadMs: number;
  registerOverheadMs: number;
}

const row = (name: string, samples: number[]): FlowRow => ({ name, p50: median(samples), p95: percentile(samples, 95) });

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

export async function benchFlows(runtime: LocalRuntime, tableName: string, samples: number): Promise<FlowResults> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(runtime.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const get = async (path: string, authorization?: string) => {
    const response = await fetch(runtime.url + path, { headers: authorization ? { authorization } : {} });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  };

  const series = { register: [] as number[], login: [] as number[], refresh: [] as number[], me: [] as number[], jwks: [] as number[] };
  const password = "benchmark-password-1";
  const run = Date.now().toString(36);
  // Warm every function once (cold starts are measured elsewhere).
  await post("/auth/register", { email: `warm-${run}@example.com`, password });
  const warm = await post("/auth/login", { email: `warm-${run}@example.com`, password });
  await post("/auth/refresh", { refresh_token: warm.refresh_token });
  await get("/me", `Bearer ${warm.access_token}`);
  await get("/.well-known/jwks.json");

  // Interleaved, so that drift in the machine's load hits every flow alike.
  for (let i = 0; i < samples; i++) {
    const email = `bench-${run}-${i}@example.com`;
    series.register.push((await timed(() => post("/auth/register", { email, password })))[0]);
    const [loginMs, tokens] = await timed(() => post("/auth/login", { email, password }));
    series.login.push(loginMs);
    series.refresh.push((await timed(() => post("/auth/refresh", { refresh_token: tokens.refresh_token })))[0]);
    for (let j = 0; j < 5; j++) {
      series.me.push((await timed(() => get("/me", `Bearer ${tokens.access_token}`)))[0]);
      series.jwks.push((await timed(() => get("/.well-known/jwks.json")))[0]);
    }
  }

  // The parts, alone.
  const hasher = argon2idHasher();
  const hash = await hasher.hash(password);
  const signer = localSigner(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
  const input = Buffer.from("x".repeat(400));
  const db = localDynamoClient(runtime.dynamo!.endpoint);
  const key = { pk: { S: "BENCH#item" }, sk: { S: "BENCH" } };
  const parts = { verify: [] as number[], hash: [] as number[], sign: [] as number[], get: [] as number[], update: [] as number[] };
  try {
    for (let i = 0; i < samples; i++) {
      parts.verify.push((await timed(() => hasher.verify(hash, password)))[0]);
      parts.hash.push((await timed(() => hasher.hash(password)))[0]);
      for (let j = 0; j < 5; j++) {
        parts.sign.push((await timed(() => signer.sign(input)))[0]);
        parts.update.push(
          (await timed(() => db.send(new UpdateItemCommand({ TableName: tableName, Key: key, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } }))))[0],
        );
        parts.get.push((await timed(() => db.send(new GetItemCommand({ TableName: tableName, Key: key }))))[0]);
      }
    }
  } finally {
    db.destroy();
  }

  return {
    flows: [
      row("POST /auth/login", series.login),
      row("POST /auth/refresh", series.refresh),
      row("POST /auth/register", series.register),
      row("GET /me (authorizer cached)", series.me),
      row("GET jwks (no store, no authorizer)", series.jwks),
    ],
    parts: [
      row("argon2id verify", parts.verify),
      row("argon2id hash", parts.hash),
      row("DynamoDB GetItem (dynalite)", parts.get),
      row("DynamoDB UpdateItem (dynalite)", parts.update),
      row("ES256 sign (local key)", parts.sign),
    ],
    loginOverheadMs: median(series.login) - median(parts.verify),
    registerOverheadMs: median(series.register) - median(parts.hash),
  };
}
