/**
 * Logs test: a full flow through the real bundles at LOG_LEVEL=debug, every console line
 * captured, and not one secret used along the way in any of them: passwords, access
 * tokens, refresh tokens and their secret parts, email addresses, argon2 hashes, junk
 * bearer tokens (OWASP ASVS 4.0.3 V7.1.1: no credentials or session tokens in logs).
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { NO_REFRESH_GRACE, startInProcessRuntime, type InProcessRuntime, type Reply } from "./helpers/in-process-runtime.js";
import { secretPartsOf } from "./helpers/refresh-tokens.js";
import { bearer } from "./helpers/access-tokens.js";

const LEVELS = ["debug", "info", "warn", "error"];

describe("logs: a full flow at LOG_LEVEL=debug leaks no secret", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  /** Every secret the flow used, with what it is (the value itself never goes in a failure message). */
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string | undefined) => {
    if (value) secrets.set(value, what);
  };
  let lines: Array<Record<string, unknown>> = [];

  before(async () => {
    rt = await startInProcessRuntime({ LOG_LEVEL: "debug", ...NO_REFRESH_GRACE });
    const tag = randomBytes(8).toString("hex");
    const email = `Log.Test+${tag}@Example.COM`;
    const password = `correct horse battery ${tag}`;
    const wrongPassword = `wrong horse battery ${tag}`;
    const unknownEmail = `nobody+${tag}@example.com`;
    keep("email as typed", email);
    keep("email normalised", email.toLowerCase());
    keep("email local part", email.split("@")[0]);
    keep("unknown email", unknownEmail);
    keep("password", password);
    keep("wrong password", wrongPassword);

    const step = async (what: string, expected: number, reply: Promise<Reply>) => {
      const answer = await reply;
      expect(answer.status, `${what}: ${answer.text}`).to.equal(expected);
      const tokens = answer.json ?? {};
      if (typeof tokens.access_token === "string") {
        keep("access token", tokens.access_token);
        keep("access token signature", tokens.access_token.split(".")[2]);
      }
      if (typeof tokens.refresh_token === "string") {
        keep("refresh token", tokens.refresh_token);
        for (const part of secretPartsOf(tokens.refresh_token)) keep("refresh token secret", part);
      }
      return tokens;
    };

    await step("register", 201, rt.call("POST", "/auth/register", { email, password }));
    await step("register a taken email", 409, rt.call("POST", "/auth/register", { email, password }));
    await step("login with a wrong password", 401, rt.call("POST", "/auth/login", { email, password: wrongPassword }));
    await step("login with an unknown email", 401, rt.call("POST", "/auth/login", { email: unknownEmail, password }));
    const first = await step("login", 200, rt.call("POST", "/auth/login", { email, password }));
    await step("me", 200, rt.call("GET", "/me", undefined, bearer(first.access_token)));
    const second = await step("refresh", 200, rt.call("POST", "/auth/refresh", { refresh_token: first.refresh_token }));
    await step("replay of the replaced refresh token (reuse: session revoked)", 401, rt.call("POST", "/auth/refresh", { refresh_token: first.refresh_token }));
    await step("the newest refresh token of the revoked session", 401, rt.call("POST", "/auth/refresh", { refresh_token: second.refresh_token }));
    const third = await step("login again", 200, rt.call("POST", "/auth/login", { email, password }));
    await step("logout", 204, rt.call("POST", "/auth/logout", undefined, bearer(third.access_token)));

    // Junk bearer tokens: a real one with its signature altered, and random text.
    const [header, payload, signature] = third.access_token.split(".");
    const tampered = `${header}.${payload}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    const junk = randomBytes(24).toString("base64url");
    keep("tampered access token", tampered);
    keep("junk bearer token", junk);
    await step("me with a tampered token", 403, rt.call("GET", "/me", undefined, bearer(tampered)));
    await step("me with a junk token", 403, rt.call("GET", "/me", undefined, bearer(junk)));

    // Lockout, on another account so the flow above stays unlocked: five wrong passwords
    // (the default LOCKOUT_MAX_FAILURES), then 429 even for the right password.
    const lockedEmail = `locked+${tag}@example.com`;
    const lockedPassword = `staple battery horse ${tag}`;
    keep("locked account's email", lockedEmail);
    keep("locked account's password", lockedPassword);
    await step("register the account to lock", 201, rt.call("POST", "/auth/register", { email: lockedEmail, password: lockedPassword }));
    for (let i = 1; i <= 5; i++) {
      const guess = `guess ${i} ${tag}`;
      keep(`wrong guess ${i}`, guess);
      await step(`wrong guess ${i}`, 401, rt.call("POST", "/auth/login", { email: lockedEmail, password: guess }));
    }
    await step("the right password while locked", 429, rt.call("POST", "/auth/login", { email: lockedEmail, password: lockedPassword }));

    for (const item of await rt.scan()) {
      for (const value of Object.values(item)) {
        if (value.S?.startsWith("$argon2")) {
          keep("argon2 hash", value.S);
          keep("argon2 digest", value.S.slice(value.S.lastIndexOf("$") + 1));
        }
      }
    }
    expect([...secrets.values()], "the table holds argon2 hashes").to.include("argon2 hash");
    lines = rt.console.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { unparsed: line };
      }
    });
  });
  after(() => rt?.close());

  it("writes every console line as one JSON object with level, time, service and message", () => {
    expect(rt.console.length, "the bundles logged something").to.be.above(0);
    for (const line of lines) {
      expect(line, `not JSON: ${String(line.unparsed)}`).not.to.have.property("unparsed");
      expect(LEVELS).to.include(line.level);
      expect(line.time).to.be.a("string");
      expect(line.service).to.be.a("string");
      expect(line.message).to.be.a("string");
    }
  });

  it("logs the failed login, the lockout and the refresh-token reuse, so the test cannot pass by logging nothing", () => {
    const failedLogin = lines.find((line) => line.service === "login" && (line.code === "invalid_grant" || /fail/i.test(String(line.message))));
    expect(failedLogin, "a failed login is logged").to.exist;
    const reuse = lines.find((line) => line.service === "refresh" && /reuse/i.test(String(line.message)));
    expect(reuse, "the refresh-token reuse is logged").to.exist;
    expect(["warn", "error"]).to.include(reuse!.level);
    const locked = lines.find((line) => line.service === "login" && line.message === "account locked");
    expect(locked, "the lockout is logged").to.exist;
    expect(locked).to.include({ level: "warn", failures: 5 });
    expect(locked!.sourceIp, "with the source address").to.be.a("string").and.not.be.empty;
    expect(locked!.account, "with a keyed hash of the account").to.match(/^[A-Za-z0-9_-]{22}$/);
    const services = new Set(lines.map((line) => line.service));
    for (const service of ["register", "login", "refresh", "authorizer"]) expect([...services], `${service} logged`).to.include(service);
  });

  it("contains none of the secrets used, in any form a log line could carry it", () => {
    expect(secrets.size).to.be.above(15);
    const all = [...rt.console, ...rt.accessLog];
    const logged = all.map((line) => line.toLowerCase());
    for (const [secret, what] of secrets) {
      // As is, and as JSON.stringify escapes it inside a log line; case-insensitive, as emails are.
      const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)].map((form) => form.toLowerCase()));
      for (const form of forms) {
        const leak = logged.findIndex((line) => line.includes(form));
        if (leak < 0) continue;
        const at = logged[leak].indexOf(form);
        expect.fail(`the ${what} appears in a log line: ${all[leak].slice(0, at)}<the ${what}>${all[leak].slice(at + form.length)}`);
      }
    }
  });
});
