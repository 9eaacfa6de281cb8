/**
 * End to end: the local runtime as `npm start` runs it (real bundles, dynalite, API
 * Gateway stand-in), driven over HTTP by scripts/smoke.sh and by hostile input.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ROOT } from "../bundle/bundler.js";
import { spawnLocalRuntime, type SpawnedRuntime } from "./helpers/local-runtime.js";

const run = promisify(execFile);

/** The local mail API's JSON URL, as `npm start` prints it ("sent mail: ... <url>/store (JSON)"). */
function mailUrlOf(runtime: SpawnedRuntime): string {
  const match = /sent mail: \S+ \(web view\), (http:\/\/127\.0\.0\.1:\d+\/store) \(JSON\)/.exec(runtime.output());
  if (!match) throw new Error(`the runtime printed no mail URL:\n${runtime.output()}`);
  return match[1];
}

/** Runs scripts/smoke.sh against `url`, reading mail from `mailUrl` if given (none: SMOKE_MAIL_URL empty). */
async function smoke(url: string, mailUrl?: string): Promise<{ stdout: string; lastLine: string }> {
  const { stdout } = await run("bash", ["scripts/smoke.sh", url], {
    cwd: ROOT,
    env: { ...process.env, SMOKE_MAIL_URL: mailUrl ?? "" },
    timeout: 90_000,
  });
  return { stdout, lastLine: stdout.trimEnd().split("\n").pop()! };
}

describe("end to end through the local runtime", function () {
  this.timeout(120_000);
  let runtime: SpawnedRuntime;

  before(async () => {
    runtime = await spawnLocalRuntime();
  });

  after(async () => {
    const code = await runtime?.stop();
    expect(code, "Ctrl-C stops the runtime cleanly").to.equal(0);
  });

  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(runtime.url + path, {
      method,
      body,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };

  // Test runtimes do not require email verification (TEST_RUNTIME_DEFAULTS): register answers 201.
  it("passes scripts/smoke.sh with no mailbox, skipping only what needs an emailed link", async () => {
    const { stdout, lastLine } = await smoke(runtime.url);
    expect(stdout).to.include("this stage does not require email verification");
    expect(stdout).to.include("skip [3 password reset] resetting the password through the emailed link (no mailbox)");
    expect(stdout).to.include("the account it created is gone");
    expect(stdout).not.to.include("left behind");
    expect(lastLine).to.equal(`smoke test passed against ${runtime.url} (partial: the steps above were skipped)`);
  });

  it("passes scripts/smoke.sh reading the links from the local mail API", async () => {
    const { stdout, lastLine } = await smoke(runtime.url, mailUrlOf(runtime));
    expect(stdout).to.include("verified through the emailed link (204), refresh -> email_verified true");
    expect(stdout).to.include("every session ended (old refresh token -> 401), old password -> 401, new password signs in");
    expect(stdout).to.include("200 profile (email_verified true)");
    expect(stdout).not.to.match(/^skip /m);
    expect(lastLine).to.equal(`smoke test passed against ${runtime.url}`);
  });

  it("logs one JSON line per request, without the query string", async () => {
    await call("GET", "/.well-known/jwks.json?probe=log");
    const line = /^\{.*"path":"\/\.well-known\/jwks\.json".*\}$/m;
    // The line reaches us through a pipe: give it a moment.
    for (let i = 0; i < 50 && !line.test(runtime.output()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(line.exec(runtime.output())![0])).to.include({ service: "gateway", method: "GET", path: "/.well-known/jwks.json", status: 200 });
    expect(runtime.output()).not.to.include("probe=log");
  });

  describe("bad input is a 400 invalid_request that names the problem", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["/auth/register", "{not json", /not valid JSON/],
      ["/auth/register", "[1,2]", /JSON object/],
      ["/auth/register", "", /JSON object/],
      ["/auth/register", '{"password":"correct horse battery"}', /email is required/],
      ["/auth/register", '{"email":"a@b.io"}', /password is required/],
      ["/auth/register", '{"email":42,"password":"correct horse battery"}', /email must be a string/],
      ["/auth/register", '{"email":"a@b.io","password":{"$ne":1}}', /password must be a string/],
      ["/auth/register", '{"email":"not-an-email","password":"correct horse battery"}', /email must be an address/],
      ["/auth/register", '{"email":"a@b.io","password":"short"}', /at least 12/],
      ["/auth/register", '{"email":"a@b.io","password":"correct horse battery","tenant":"nope"}', /tenant "nope"/],
      ["/auth/login", '{"email":"a@b.io","password":null}', /password is required/],
      ["/auth/login", JSON.stringify({ email: "a@b.io", password: "x".repeat(20_000) }), /at most 16384 bytes/],
      ["/auth/refresh", '{"refresh_token":7}', /refresh_token must be a string/],
      ["/auth/refresh", "{}", /refresh_token is required/],
    ];
    for (const [path, body, description] of cases) {
      it(`${path} ${body.slice(0, 50) || "(empty)"}`, async () => {
        const response = await call("POST", path, body);
        expect(response.status).to.equal(400);
        expect(response.json.error).to.equal("invalid_request");
        expect(response.json.error_description).to.match(description);
      });
    }

    it("a refresh with neither body nor cookie names both places", async () => {
      const response = await call("POST", "/auth/refresh");
      expect(response.status).to.equal(400);
      expect(response.json.error_description).to.match(/body or the refresh_token cookie/);
    });
  });

  it("never answers with a stack trace or internal detail", async () => {
    const bodies = ["{", '{"email":{}}', '{"email":"x@y.z","password":[]}', "\u0000\u0001", "9".repeat(400), '{"__proto__":{"a":1}}'];
    for (const path of ["/auth/register", "/auth/login", "/auth/refresh"]) {
      for (const body of bodies) {
        const response = await call("POST", path, body);
        expect(response.status, `${path} ${body}`).to.be.within(400, 499);
        expect(response.text).not.to.match(/\bat \S+ \(|node_modules|\.ts:\d+|Error:/);
      }
    }
  });

  it("a second runtime on a busy port says so and exits 1", async () => {
    const port = new URL(runtime.url).port;
    const error = await spawnLocalRuntime({ PORT: port }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.include("exited with 1");
    expect((error as Error).message).to.include(`could not start the local runtime: port ${port} is in use`);
  });

  it("answers unknown routes and methods as API Gateway does", async () => {
    expect((await call("GET", "/auth/login")).status).to.equal(404);
    expect((await call("GET", "/nope")).status).to.equal(404);
  });

  it("refuses a bearer route without Authorization before running the authorizer (401)", async () => {
    const response = await call("POST", "/auth/logout");
    expect(response.status).to.equal(401);
    expect(response.json).to.deep.equal({ message: "Unauthorized" });
  });
});

describe("end to end with email verification required (the product's default)", function () {
  this.timeout(120_000);
  let runtime: SpawnedRuntime;

  before(async () => {
    runtime = await spawnLocalRuntime({ REQUIRE_EMAIL_VERIFICATION: "true" });
  });

  after(async () => {
    const code = await runtime?.stop();
    expect(code, "Ctrl-C stops the runtime cleanly").to.equal(0);
  });

  it("passes scripts/smoke.sh reading the links from the local mail API, and deletes its account", async () => {
    const { stdout, lastLine } = await smoke(runtime.url, mailUrlOf(runtime));
    for (const line of [
      "202 {\"email\":...}: this stage requires email verification",
      "same email again -> the same 202",
      "the owner got \"Someone tried to sign up with your email address\"",
      "right password -> 403 email_not_verified, no tokens",
      "the emailed link verifies: 204, and works once",
      "a too short new password -> 400, then the same link -> 204",
      "every session ended (old refresh token -> 401), old password -> 401, new password signs in",
      "200 profile (email_verified true)",
      "the account it created is gone",
      "[9b revocation] POST /oauth/revoke -> 200; the revoked token then fails on /auth/refresh (401) and /oauth/token (400 invalid_grant)",
      "POST /auth/revoke with the cookie: foreign origin -> 403; own origin -> 200, cookie cleared, session ended",
      "[12 discovery] one document at both well-known paths; issuer http://auth.localhost is the tokens' iss",
    ]) {
      expect(stdout).to.include(line);
    }
    expect(stdout).not.to.match(/^skip /m);
    expect(lastLine).to.equal(`smoke test passed against ${runtime.url}`);
  });

  it("passes scripts/smoke.sh with no mailbox: checks what it can, says what it skipped and what it left behind", async () => {
    const { stdout, lastLine } = await smoke(runtime.url);
    for (const line of [
      "right password -> 403 email_not_verified, no tokens",
      "resend for the new account -> 202",
      "forgot for an email nobody registered -> 202",
      "a made-up token -> 401 invalid_grant",
      "skipped for want of a mailbox (set SMOKE_MAIL_URL",
      "[2 email verification] verifying the email through its link (no mailbox)",
      "[4-11] login, /me, refresh, logout, sessions, password change and account deletion: an unverified account cannot sign in",
      "[13 discovery] one document at both well-known paths, endpoints under the issuer http://auth.localhost",
    ]) {
      expect(stdout).to.include(line);
    }
    expect(stdout).to.match(/^left behind: the unverified account success\+smoke-\S+@simulator\.amazonses\.com in the default tenant\./m);
    expect(stdout).not.to.include("the account it created is gone");
    expect(lastLine).to.equal(`smoke test passed against ${runtime.url} (partial: the steps above were skipped)`);
  });
});
