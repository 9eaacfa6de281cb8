/**
 * Forgotten and reset password through the real bundles, the API Gateway stand-in, dynalite
 * and the local SES server: 202 alike for known and unknown emails (after the same minimum
 * time), the link read from the mail, the reset ending every session, verifying the email and
 * clearing a lock, and the token refusals (reused, expired, tampered, other tenant's account).
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { expireEmailToken } from "./helpers/dynalite.js";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { mailTo, tokenFromLink } from "./helpers/local-ses.js";
import { bearer, claimsOf } from "./helpers/access-tokens.js";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a new and rather long passphrase";
const RESET_SUBJECT = "Reset your password";
const CHANGED_SUBJECT = "Your password was changed";
const REFUSED = { error: "invalid_grant", error_description: "the token is invalid, expired or already used" };
/** Long enough to cover the work of a known email on a shared machine; short enough for a test. */
const MIN_MS = 300;
const newEmail = () => `reset-${randomBytes(6).toString("hex")}@example.com`;

describe("forgotten and reset password (real bundles, local SES)", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  before(async () => {
    rt = await startInProcessRuntime({
      REQUIRE_EMAIL_VERIFICATION: "true",
      TENANTS: "default,acme",
      LOG_LEVEL: "debug",
      SOURCE_SIGNUPS_PER_WINDOW: "1000",
      EMAIL_REQUEST_MIN_MS: String(MIN_MS),
      LOCKOUT_MAX_FAILURES: "3",
    });
  });
  after(() => rt?.close());

  const inbox = async (address: string, subject: string) => (await mailTo(rt.ses.storeUrl, address)).filter((m) => m.subject === subject);
  const login = (email: string, password = PASSWORD, tenant?: string) => rt.call("POST", "/auth/login", { email, password, ...(tenant ? { tenant } : {}) });
  const forgot = (email: string, tenant?: string) => rt.call("POST", "/auth/password/forgot", { email, ...(tenant ? { tenant } : {}) });
  const reset = (token: string, password = NEW_PASSWORD) => rt.call("POST", "/auth/password/reset", { token, new_password: password });
  const resetToken = async (email: string, nth = -1) => tokenFromLink((await inbox(email, RESET_SUBJECT)).at(nth)!, "reset-password");
  /** A verified account (the verification link read from its mail), in `tenant`. */
  const account = async (tenant?: string, email = newEmail()) => {
    expect((await rt.call("POST", "/auth/register", { email, password: PASSWORD, ...(tenant ? { tenant } : {}) })).status).to.equal(202);
    const link = (await inbox(email, "Verify your email address")).at(-1)!;
    expect((await rt.call("POST", "/auth/verify-email", { token: tokenFromLink(link, "verify-email") })).status).to.equal(204);
    return email;
  };
  const timed = async <T>(work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  };

  it("answers 202 alike for a known and an unknown email, neither sooner than the minimum; only the known one gets a link", async () => {
    const known = await account();
    const unknown = newEmail();
    const a = await timed(() => forgot(known));
    const b = await timed(() => forgot(unknown));
    for (const [{ result, ms }, email] of [[a, known], [b, unknown]] as const) {
      expect(result.status, result.text).to.equal(202);
      expect(result.json).to.deep.equal({ email });
      expect(ms, `${email} answered after ${ms.toFixed(0)} ms`).to.be.at.least(MIN_MS - 5);
    }
    const [mail] = await inbox(known, RESET_SUBJECT);
    expect(mail.text).to.include(`${rt.url}/reset-password?token=`);
    expect(mail.text).to.include("30 minutes");
    expect(await mailTo(rt.ses.storeUrl, unknown)).to.deep.equal([]);
  });

  it("the reset replaces the password, ends every session and cannot be used twice", async () => {
    const email = await account();
    const phone = await login(email);
    const laptop = await login(email);
    await forgot(email);
    const token = await resetToken(email);
    const done = await reset(token);
    expect(done.status, done.text).to.equal(204);
    expect((await login(email)).status, "the old password").to.equal(401);
    const fresh = await login(email, NEW_PASSWORD);
    expect(fresh.status, fresh.text).to.equal(200);
    for (const session of [phone, laptop]) {
      expect((await rt.call("POST", "/auth/refresh", { refresh_token: session.json.refresh_token })).status, "an older refresh token").to.equal(401);
      expect((await rt.call("GET", "/auth/sessions", undefined, bearer(session.json.access_token))).status, "a strict route refuses at once").to.equal(401);
    }
    const again = await reset(token, `${NEW_PASSWORD} again`);
    expect(again.status).to.equal(401);
    expect(again.json).to.deep.equal(REFUSED);
    expect(await inbox(email, CHANGED_SUBJECT), "the owner is told").to.have.length(1);
  });

  it("verifies the email (the link proved the address) and clears a lock", async () => {
    const email = newEmail();
    expect((await rt.call("POST", "/auth/register", { email, password: PASSWORD })).status).to.equal(202);
    expect((await login(email)).status, "unverified").to.equal(403);
    for (let i = 0; i < 3; i++) expect((await login(email, `${PASSWORD} wrong ${i}`)).status).to.equal(401);
    expect((await login(email)).status, "locked").to.equal(429);
    await forgot(email);
    expect((await reset(await resetToken(email))).status).to.equal(204);
    const signedIn = await login(email, NEW_PASSWORD);
    expect(signedIn.status, signedIn.text).to.equal(200);
    expect(claimsOf(signedIn.json.access_token)).to.include({ email, email_verified: true });
  });

  it("a refused new password costs no link: the same token works with a better one", async () => {
    const email = await account();
    await forgot(email);
    const token = await resetToken(email);
    for (const [password, reason] of [
      ["short", /^new_password must be at least 12 characters$/],
      [email, /^new_password must not be the email address$/],
      ["password1234", /^new_password is one of the most common breached passwords/],
    ] as const) {
      const refused = await reset(token, password);
      expect(refused.status, password).to.equal(400);
      expect(refused.json.error).to.equal("invalid_request");
      expect(refused.json.error_description).to.match(reason);
    }
    expect((await reset(token)).status).to.equal(204);
    expect((await login(email, NEW_PASSWORD)).status).to.equal(200);
  });

  it("refuses a tampered, expired or verification token alike, and a body without token or new_password", async () => {
    const email = await account();
    await forgot(email);
    const token = await resetToken(email);
    const [, userId, secret] = token.split(".");
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    for (const bad of [`pr1.${userId}.${flipped}`, `ev1.${userId}.${secret}`, `pr1.${randomBytes(16).toString("hex")}.${secret}`, ""]) {
      const reply = await reset(bad);
      expect(reply.status, bad).to.equal(401);
      expect(reply.json, bad).to.deep.equal(REFUSED);
    }
    for (const body of [{ new_password: NEW_PASSWORD }, { token }]) {
      const reply = await rt.call("POST", "/auth/password/reset", body);
      expect(reply.status, JSON.stringify(body)).to.equal(400);
      expect(reply.json.error).to.equal("invalid_request");
    }
    await expireEmailToken(rt.dynamo.endpoint, rt.tableName, userId, "reset-password");
    expect((await reset(token)).json, "past its lifetime").to.deep.equal(REFUSED);
    expect((await login(email)).status, "the password is unchanged").to.equal(200);
  });

  it("keeps tenants apart: a reset of the acme account leaves the default one's password", async () => {
    const email = await account("acme");
    await account("default", email);
    await forgot(email, "acme");
    expect(await inbox(email, RESET_SUBJECT)).to.have.length(1);
    expect((await reset(await resetToken(email))).status).to.equal(204);
    expect((await login(email, NEW_PASSWORD, "acme")).status).to.equal(200);
    expect((await login(email, PASSWORD, "default")).status).to.equal(200);
    expect((await login(email, NEW_PASSWORD, "default")).status).to.equal(401);
  });

  it("a second request replaces the first link, and requests past the per-account limit are 429", async () => {
    const email = await account(); // register mailed once: 2 more this window (ACCOUNT_EMAILS_PER_WINDOW 3)
    await forgot(email);
    await forgot(email);
    const over = await forgot(email);
    expect(over.status).to.equal(429);
    expect(over.headers["retry-after"]).to.match(/^[1-9]\d*$/);
    expect(await inbox(email, RESET_SUBJECT)).to.have.length(2);
    expect((await reset(await resetToken(email, 0))).json, "the replaced link").to.deep.equal(REFUSED);
    expect((await reset(await resetToken(email, 1))).status).to.equal(204);
  });

  it("when mail is down, forgot still answers 202 (its answer must not depend on the account) and logs the failure without the token", async () => {
    const email = await account();
    const logged = rt.console.length;
    const reply = await rt.withSesStopped(() => forgot(email));
    expect(reply.status, reply.text).to.equal(202);
    const lines = rt.console.slice(logged).map((line) => JSON.parse(line));
    expect(lines.find((line) => line.message === "mail not sent")).to.include({ level: "error", what: "reset-password" });
  });

  it("logs no email token, password or email address", async () => {
    const log = rt.console.join("\n");
    expect(rt.console.length).to.be.greaterThan(0);
    for (const secret of [PASSWORD, NEW_PASSWORD]) expect(log).not.to.include(secret);
    expect(log).not.to.match(/(pr1|ev1)\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}/);
    expect(log).not.to.match(/reset-[0-9a-f]{12}@example\.com/);
  });
});
