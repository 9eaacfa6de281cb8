/**
 * The brute-force limits through the real esbuild bundles of login, register and refresh
 * (as deployed, with argon2 and the DynamoDB client), against dynalite: the handlers take
 * the address from requestContext.http.sourceIp only, answer 429 with Retry-After, and log
 * failures with an account reference, never the email or password.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HttpEvent, HttpResult } from "../handlers/lib/http/event.js";
import { bundles, removeBundles } from "./helpers/bundles.js";
import { localTable } from "./helpers/dynalite.js";
import { localSes, type LocalSes } from "./helpers/local-ses.js";

type Handler = (event: HttpEvent) => Promise<HttpResult>;

const PASSWORD = "correct horse battery";
const LIMITS = {
  LOCKOUT_MAX_FAILURES: "3",
  LOCKOUT_BASE_SECONDS: "30",
  // A day-long window: no test here can straddle two windows in practice.
  SOURCE_WINDOW_SECONDS: "86400",
  SOURCE_FAILED_LOGINS_PER_WINDOW: "5",
  SOURCE_SIGNUPS_PER_WINDOW: "3",
};
/** Headers a client could set to claim another address; none of them may count. */
const SPOOFED = (i: number) => ({
  "x-forwarded-for": `203.0.113.${i}`,
  "x-real-ip": `203.0.113.${i}`,
  forwarded: `for=203.0.113.${i}`,
  "cf-connecting-ip": `203.0.113.${i}`,
});

describe("brute-force limits through the login, register and refresh bundles", function () {
  this.timeout(120_000);
  let table: Awaited<ReturnType<typeof localTable>>;
  let keyDir: string;
  let ses: LocalSes;
  const handlers = {} as Record<"login" | "register" | "refresh", Handler>;
  const logs: string[] = [];
  const saved = { ...process.env };

  before(async () => {
    table = await localTable();
    keyDir = mkdtempSync(join(tmpdir(), "auth-limits-key-"));
    ses = await localSes();
    Object.assign(process.env, {
      // Register mails a verification link: to the local SES, and verification stays optional so login follows at once.
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      EMAIL_FROM: "no-reply@auth.test",
      APP_URL: "https://app.auth.test",
      REQUIRE_EMAIL_VERIFICATION: "false",
      TABLE_NAME: table.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ISSUER: "https://auth.test",
      TENANTS: "default",
      LOCAL_SIGNING_KEY_FILE: join(keyDir, "signing-key.pem"),
      LOCAL_REFRESH_TOKEN_KEY_FILE: join(keyDir, "refresh-token-key"),
      LOG_LEVEL: "info",
      ...LIMITS,
    });
    const require = createRequire(import.meta.url);
    for (const b of await bundles("host")) {
      if (b.name === "login" || b.name === "register" || b.name === "refresh") {
        handlers[b.name] = (require(join(b.dir, "index.js")) as { handler: Handler }).handler;
      }
    }
  });
  after(async () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    removeBundles();
    rmSync(keyDir, { recursive: true, force: true });
    await table?.close();
    await ses?.close();
  });

  let n = 0;
  /** Calls a bundle as API Gateway would, from `sourceIp`, capturing its log lines. */
  const call = async (name: keyof typeof handlers, body: unknown, sourceIp: string, headers: Record<string, string> = {}) => {
    const event: HttpEvent = {
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      requestContext: { requestId: `r${++n}`, http: { method: "POST", path: `/auth/${name}`, sourceIp } },
    };
    const write = console.log;
    console.log = (line: string) => logs.push(line);
    try {
      const result = await handlers[name](event);
      return { status: result.statusCode, retryAfter: result.headers["retry-after"], json: JSON.parse(result.body ?? "null") };
    } finally {
      console.log = write;
    }
  };
  const credentials = (password = PASSWORD) => ({ email: `bundle${++n}@example.com`, password });

  it("login: N wrong passwords, then 429 too_many_attempts with Retry-After, even for the right password; logged without the email", async () => {
    const account = credentials();
    expect((await call("register", account, "192.0.2.10")).status).to.equal(201);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("login", { ...account, password: "wrong horse battery" }, "192.0.2.11")).status);
    expect(statuses).to.deep.equal([401, 401, 401]);
    const locked = await call("login", account, "192.0.2.11");
    expect(locked.status).to.equal(429);
    expect(locked.json.error).to.equal("too_many_attempts");
    expect(Number(locked.retryAfter)).to.be.within(25, 30);
    const lines = logs.map((line) => JSON.parse(line));
    const failed = lines.filter((l) => l.message === "login failed" || l.message === "account locked");
    expect(failed.map((l) => [l.level, l.sourceIp])).to.deep.equal([["info", "192.0.2.11"], ["info", "192.0.2.11"], ["warn", "192.0.2.11"]]);
    expect(new Set(failed.map((l) => l.account)).size, "one account reference").to.equal(1);
    const text = logs.join("\n");
    for (const secret of [account.email, account.password, "wrong horse battery"]) expect(text).not.to.include(secret);
  });

  it("counts failed logins per requestContext.http.sourceIp, whatever X-Forwarded-For and friends claim", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call("login", credentials("wrong horse battery"), "192.0.2.20", SPOOFED(i))).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
    const refused = await call("login", credentials(), "192.0.2.20", SPOOFED(99));
    expect(refused.status).to.equal(429);
    expect(Number(refused.retryAfter)).to.be.within(1, 86_400);
    expect((await call("login", credentials("wrong horse battery"), "192.0.2.21", SPOOFED(0))).status, "another address").to.equal(401);
  });

  it("counts registrations per source address: over the limit 429; another address unaffected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("register", credentials(), "192.0.2.30", SPOOFED(i))).status);
    expect(statuses).to.deep.equal([201, 201, 201, 429]);
    expect((await call("register", credentials(), "192.0.2.31")).status).to.equal(201);
  });

  it("counts failed refreshes against the address; successful ones are free", async () => {
    const account = credentials();
    await call("register", account, "192.0.2.40");
    let token = (await call("login", account, "192.0.2.41")).json.refresh_token as string;
    for (let i = 0; i < 6; i++) {
      const rotated = await call("refresh", { refresh_token: token }, "192.0.2.41");
      expect(rotated.status).to.equal(200);
      token = rotated.json.refresh_token;
    }
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call("refresh", { refresh_token: `forged${i}.${"A".repeat(43)}` }, "192.0.2.41", SPOOFED(i))).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
    expect((await call("refresh", { refresh_token: token }, "192.0.2.41")).status, "refused before the work").to.equal(429);
    expect((await call("refresh", { refresh_token: token }, "192.0.2.42")).status, "another address").to.equal(200);
  });
});
