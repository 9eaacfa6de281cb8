/**
 * TOTP multi-factor sign-in through the real bundles, the API Gateway stand-in, dynalite and
 * the local SES server: enrolment and confirmation, the login challenge, verification with a
 * code and with recovery codes, amr in the tokens and after refresh, the challenge's single
 * use, expiry and voiding, the shared lockout, management, and what the logs never hold.
 *
 * Codes are computed at the time of each request from the real clock. A code's step is used
 * up once accepted, so a user's second code in the same 30 s step is the next step's (within
 * the ±1 window); no test here asks for a code two steps ahead (nextCode refuses to).
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { expireMfaTokens } from "./helpers/dynalite.js";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { mailTo } from "./helpers/local-ses.js";
import { bearer, claimsOf } from "./helpers/access-tokens.js";

const PASSWORD = "correct horse battery staple";
const MAX_FAILURES = 3;
const WRONG_CODE = { error: "invalid_grant", error_description: "the code is incorrect or was already used" };
const BAD_CHALLENGE = { error: "invalid_grant", error_description: "the sign-in challenge is invalid, expired or already used; sign in again" };

/** A user's authenticator: computes the current code, or the next step's when the current one is used. */
class Authenticator {
  private lastStep = Number.NEGATIVE_INFINITY;
  constructor(readonly base32: string) {}
  nextCode(): string {
    const now = Date.now();
    const current = TOTP.counter({ period: 30, timestamp: now });
    const step = Math.max(current, this.lastStep + 1);
    if (step > current + 1) throw new Error("this test needs a code two steps ahead: give it another user");
    this.lastStep = step;
    return TOTP.generate({ secret: Secret.fromBase32(this.base32), algorithm: "SHA1", digits: 6, period: 30, timestamp: step * 30_000 });
  }
  /** A code of no step near now (half a day away), for wrong guesses that are still well-formed. */
  wrongCode(): string {
    return TOTP.generate({ secret: Secret.fromBase32(this.base32), timestamp: Date.now() - 12 * 3600_000 });
  }
}

describe("TOTP multi-factor sign-in (real bundles in process)", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  before(async () => {
    rt = await startInProcessRuntime({ LOG_LEVEL: "debug", LOCKOUT_MAX_FAILURES: String(MAX_FAILURES), SOURCE_FAILED_LOGINS_PER_WINDOW: "1000", SOURCE_SIGNUPS_PER_WINDOW: "1000" });
  });
  after(() => rt?.close());

  const login = (email: string, password = PASSWORD) => rt.call("POST", "/auth/login", { email, password });
  const verify = (body: Record<string, unknown>) => rt.call("POST", "/auth/mfa/verify", body);

  /** A new user, signed in (password only), with their access token. */
  async function newUser() {
    const email = `mfa-${randomBytes(6).toString("hex")}@example.com`;
    const created = await rt.call("POST", "/auth/register", { email, password: PASSWORD });
    expect(created.status, created.text).to.equal(201);
    const signedIn = await login(email);
    expect(signedIn.status, signedIn.text).to.equal(200);
    return { email, userId: created.json.user_id as string, access: signedIn.json.access_token as string, refresh: signedIn.json.refresh_token as string };
  }

  async function enrol(access: string) {
    const reply = await rt.call("POST", "/auth/mfa/totp", undefined, bearer(access));
    expect(reply.status, reply.text).to.equal(200);
    return reply;
  }

  /** A new user with MFA on: their authenticator (one step used), recovery codes and the enrolling session. */
  async function enrolledUser() {
    const user = await newUser();
    const app = new Authenticator((await enrol(user.access)).json.secret);
    const confirmed = await rt.call("POST", "/auth/mfa/totp/confirm", { code: app.nextCode() }, bearer(user.access));
    expect(confirmed.status, confirmed.text).to.equal(200);
    return { ...user, app, recoveryCodes: confirmed.json.recovery_codes as string[] };
  }

  async function challenge(email: string) {
    const reply = await login(email);
    expect(reply.status, reply.text).to.equal(200);
    return reply.json.mfa_token as string;
  }

  describe("enrolment", () => {
    it("returns a base32 secret, its otpauth URI and a QR code, not cached; MFA stays off until confirmed", async () => {
      const user = await newUser();
      const reply = await enrol(user.access);
      expect(Object.keys(reply.json).sort()).to.deep.equal(["otpauth_uri", "qr_svg", "secret"]);
      expect(reply.headers["cache-control"]).to.equal("no-store");
      expect(reply.json.secret).to.match(/^[A-Z2-7]{32}$/); // 20 bytes
      const uri = new URL(reply.json.otpauth_uri);
      expect(uri.protocol).to.equal("otpauth:");
      expect(uri.searchParams.get("secret")).to.equal(reply.json.secret);
      expect(Object.fromEntries(uri.searchParams)).to.include({ issuer: "auth.localhost", algorithm: "SHA1", digits: "6", period: "30" });
      expect(uri.host).to.equal("totp");
      expect(decodeURIComponent(uri.pathname)).to.equal(`/auth.localhost:${user.email}`);
      expect(reply.json.qr_svg).to.match(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(reply.json.qr_svg.split(",")[1], "base64").toString()).to.match(/^<svg[\s\S]*<\/svg>$/);
      expect((await rt.call("GET", "/me", undefined, bearer(user.access))).json.mfa_enabled).to.equal(false);
      const plain = await login(user.email);
      expect(plain.json.access_token, "no challenge before confirmation").to.be.a("string");
    });

    it("stores the secret sealed, never in clear", async () => {
      const user = await newUser();
      const { secret } = (await enrol(user.access)).json;
      const raw = Buffer.from(new Secret({ buffer: Secret.fromBase32(secret).buffer }).buffer);
      const item = (await rt.scan()).find((i) => i.user_id?.S === user.userId && i.sk?.S === "PROFILE")!;
      expect(item.mfa_pending?.B, "a sealed pending secret").to.be.instanceOf(Uint8Array);
      const dump = JSON.stringify(item, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v));
      expect(dump).not.to.include(raw.toString("hex"));
      expect(dump).not.to.include(secret);
    });

    it("a new enrolment replaces a pending one: only the latest secret confirms", async () => {
      const user = await newUser();
      const first = new Authenticator((await enrol(user.access)).json.secret);
      const second = new Authenticator((await enrol(user.access)).json.secret);
      const stale = await rt.call("POST", "/auth/mfa/totp/confirm", { code: first.nextCode() }, bearer(user.access));
      expect(stale.status).to.equal(401);
      expect(stale.json).to.deep.equal(WRONG_CODE);
      const ok = await rt.call("POST", "/auth/mfa/totp/confirm", { code: second.nextCode() }, bearer(user.access));
      expect(ok.status, ok.text).to.equal(200);
    });

    it("confirmation turns MFA on, returns ten distinct recovery codes once, and mails the owner; enrolling again is a 409", async () => {
      const user = await enrolledUser();
      expect(user.recoveryCodes).to.have.length(10);
      expect(new Set(user.recoveryCodes).size).to.equal(10);
      for (const code of user.recoveryCodes) expect(code).to.match(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
      expect((await rt.call("GET", "/me", undefined, bearer(user.access))).json.mfa_enabled).to.equal(true);
      const mails = await mailTo(rt.ses.storeUrl, user.email);
      expect(mails.map((m) => m.subject)).to.include("Two-step sign-in was turned on");
      const again = await rt.call("POST", "/auth/mfa/totp", undefined, bearer(user.access));
      expect(again.status).to.equal(409);
      expect(again.json.error).to.equal("mfa_already_enabled");
      const reconfirm = await rt.call("POST", "/auth/mfa/totp/confirm", { code: "123456" }, bearer(user.access));
      expect(reconfirm.status).to.equal(409);
      expect(reconfirm.json.error).to.equal("mfa_already_enabled");
    });

    it("a confirmation with nothing pending is a 409 mfa_not_pending; a malformed code a 400", async () => {
      const user = await newUser();
      const none = await rt.call("POST", "/auth/mfa/totp/confirm", { code: "123456" }, bearer(user.access));
      expect(none.status).to.equal(409);
      expect(none.json.error).to.equal("mfa_not_pending");
      for (const code of ["12345", "1234567", "abcdef", 123456]) {
        const bad = await rt.call("POST", "/auth/mfa/totp/confirm", { code }, bearer(user.access));
        expect(bad.status, String(code)).to.equal(400);
        expect(bad.json.error).to.equal("invalid_request");
      }
    });
  });

  describe("sign-in", () => {
    it("a right password gets a challenge and no tokens, no cookie", async () => {
      const user = await enrolledUser();
      const reply = await login(user.email);
      expect(reply.status).to.equal(200);
      expect(Object.keys(reply.json).sort()).to.deep.equal(["mfa_required", "mfa_token", "mfa_token_expires_in"]);
      expect(reply.json).to.include({ mfa_required: true, mfa_token_expires_in: 300 });
      expect(reply.json.mfa_token).to.match(/^mfa1\.[A-Za-z0-9_-]{43}$/);
      expect(reply.headers["set-cookie"]).to.equal(undefined);
      expect(reply.headers["cache-control"]).to.equal("no-store");
      const wrongPassword = await login(user.email, "not the password at all");
      expect(wrongPassword.status).to.equal(401);
    });

    it("a code completes it: the token response with the refresh cookie, amr [pwd, otp], kept after refresh", async () => {
      const user = await enrolledUser();
      const reply = await verify({ mfa_token: await challenge(user.email), code: user.app.nextCode() });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.include({ token_type: "Bearer" });
      expect(reply.headers["set-cookie"]?.[0]).to.match(/^refresh_token=/);
      expect(claimsOf(reply.json.access_token).amr).to.deep.equal(["pwd", "otp"]);
      const refreshed = await rt.call("POST", "/auth/refresh", { refresh_token: reply.json.refresh_token });
      expect(refreshed.status, refreshed.text).to.equal(200);
      expect(claimsOf(refreshed.json.access_token).amr).to.deep.equal(["pwd", "otp"]);
      expect(claimsOf(user.access).amr, "a password-only session").to.deep.equal(["pwd"]);
    });

    it("each recovery code works once, and counts as otp", async () => {
      const user = await enrolledUser();
      const [first, second] = user.recoveryCodes;
      const ok = await verify({ mfa_token: await challenge(user.email), recovery_code: first });
      expect(ok.status, ok.text).to.equal(200);
      expect(claimsOf(ok.json.access_token).amr).to.deep.equal(["pwd", "otp"]);
      const token = await challenge(user.email);
      const reused = await verify({ mfa_token: token, recovery_code: first });
      expect(reused.status).to.equal(401);
      expect(reused.json).to.deep.equal(WRONG_CODE);
      // Typed loosely: upper case, spaces instead of hyphens.
      const loose = await verify({ mfa_token: token, recovery_code: second.toUpperCase().replace(/-/g, " ") });
      expect(loose.status, loose.text).to.equal(200);
    });

    it("the challenge works once; a wrong code leaves it usable for a corrected one", async () => {
      const user = await enrolledUser();
      const token = await challenge(user.email);
      const wrong = await verify({ mfa_token: token, code: user.app.wrongCode() });
      expect(wrong.status).to.equal(401);
      expect(wrong.json).to.deep.equal(WRONG_CODE);
      expect((await verify({ mfa_token: token, code: user.app.nextCode() })).status).to.equal(200);
      const again = await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] });
      expect(again.status).to.equal(401);
      expect(again.json).to.deep.equal(BAD_CHALLENGE);
    });

    it("an expired challenge is refused (its stored expiry is checked, not only the TTL)", async () => {
      const user = await enrolledUser();
      const token = await challenge(user.email);
      expect(await expireMfaTokens(rt.dynamo.endpoint, rt.tableName, user.userId)).to.equal(1);
      const reply = await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] });
      expect(reply.status).to.equal(401);
      expect(reply.json).to.deep.equal(BAD_CHALLENGE);
    });

    it("a password change between the steps voids the challenge", async () => {
      const user = await enrolledUser();
      const token = await challenge(user.email);
      const changed = await rt.call("POST", "/auth/password", { current_password: PASSWORD, new_password: `${PASSWORD} renewed` }, bearer(user.access));
      expect(changed.status, changed.text).to.equal(204);
      const reply = await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] });
      expect(reply.status).to.equal(401);
      expect(reply.json).to.deep.equal(BAD_CHALLENGE);
    });

    it("refuses malformed requests and unknown challenges", async () => {
      const user = await enrolledUser();
      const token = await challenge(user.email);
      for (const body of [{ mfa_token: token }, { mfa_token: token, code: "123456", recovery_code: user.recoveryCodes[0] }, { code: "123456" }]) {
        expect((await verify(body)).status, JSON.stringify(Object.keys(body))).to.equal(400);
      }
      for (const mfa_token of [`mfa1.${"A".repeat(43)}`, "junk", `${token}x`]) {
        const reply = await verify({ mfa_token, recovery_code: user.recoveryCodes[0] });
        expect(reply.status, mfa_token).to.equal(401);
        expect(reply.json).to.deep.equal(BAD_CHALLENGE);
      }
    });
  });

  describe("lockout (LOCKOUT_MAX_FAILURES=3)", () => {
    it("wrong codes count toward the account's lock: once locked, even the right code gets 429 without being checked", async () => {
      const user = await enrolledUser();
      const token = await challenge(user.email); // attempt 1: a right password does not reset the counter
      for (let i = 2; i <= MAX_FAILURES; i++) expect((await verify({ mfa_token: token, code: user.app.wrongCode() })).status, `attempt ${i}`).to.equal(401);
      const locked = await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] });
      expect(locked.status).to.equal(429);
      expect(locked.json.error).to.equal("too_many_attempts");
      expect(locked.headers["retry-after"]).to.match(/^\d+$/);
      // Not checked while locked: the recovery code was not used up.
      const item = (await rt.scan()).find((i) => i.user_id?.S === user.userId && i.sk?.S === "PROFILE")!;
      expect(item.mfa_recovery?.SS).to.have.length(10);
    });

    it("a right password between guesses does not reset the counter (or whoever has it would get unlimited guesses)", async () => {
      const user = await enrolledUser();
      // password, guess, password: three counted attempts, the third locks.
      const first = await challenge(user.email);
      expect((await verify({ mfa_token: first, code: user.app.wrongCode() })).status).to.equal(401);
      const second = await challenge(user.email);
      const locked = await verify({ mfa_token: second, recovery_code: user.recoveryCodes[0] });
      expect(locked.status, locked.text).to.equal(429);
      expect((await login(user.email)).status, "the password too").to.equal(429);
    });

    it("a completed second factor resets the counter", async () => {
      const user = await enrolledUser();
      const token = await challenge(user.email);
      expect((await verify({ mfa_token: token, code: user.app.wrongCode() })).status).to.equal(401);
      expect((await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] })).status).to.equal(200);
      // Counted afresh: password (1), wrong (2), right (3, checked).
      const next = await challenge(user.email);
      expect((await verify({ mfa_token: next, code: user.app.wrongCode() })).status).to.equal(401);
      expect((await verify({ mfa_token: next, recovery_code: user.recoveryCodes[1] })).status).to.equal(200);
    });
  });

  describe("management", () => {
    it("disables with a current code: 204, /me says off, login gives tokens again, the owner is mailed", async () => {
      const user = await enrolledUser();
      const reply = await rt.call("DELETE", "/auth/mfa/totp", { code: user.app.nextCode() }, bearer(user.access));
      expect(reply.status, reply.text).to.equal(204);
      expect((await rt.call("GET", "/me", undefined, bearer(user.access))).json.mfa_enabled).to.equal(false);
      expect((await login(user.email)).json.access_token).to.be.a("string");
      expect((await mailTo(rt.ses.storeUrl, user.email)).map((m) => m.subject)).to.include("Two-step sign-in was turned off");
      const again = await rt.call("DELETE", "/auth/mfa/totp", { password: PASSWORD }, bearer(user.access));
      expect(again.status).to.equal(409);
      expect(again.json.error).to.equal("mfa_not_enabled");
    });

    it("disables with the password; a wrong one answers as change-password does", async () => {
      const user = await enrolledUser();
      const wrong = await rt.call("DELETE", "/auth/mfa/totp", { password: "not the password at all" }, bearer(user.access));
      expect(wrong.status).to.equal(401);
      expect(wrong.json).to.deep.equal({ error: "invalid_grant", error_description: "the current password is incorrect" });
      expect((await rt.call("DELETE", "/auth/mfa/totp", { password: PASSWORD }, bearer(user.access))).status).to.equal(204);
    });

    it("regenerates recovery codes with a code or the password: the old ones stop working, the new ones work", async () => {
      const user = await enrolledUser();
      const byCode = await rt.call("POST", "/auth/mfa/recovery-codes", { code: user.app.nextCode() }, bearer(user.access));
      expect(byCode.status, byCode.text).to.equal(200);
      expect(byCode.headers["cache-control"]).to.equal("no-store");
      const fresh = byCode.json.recovery_codes as string[];
      expect(fresh).to.have.length(10);
      expect(fresh.filter((c) => user.recoveryCodes.includes(c))).to.deep.equal([]);
      const token = await challenge(user.email);
      expect((await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] })).status, "an old code").to.equal(401);
      expect((await verify({ mfa_token: token, recovery_code: fresh[0] })).status, "a new code").to.equal(200);

      const byPassword = await rt.call("POST", "/auth/mfa/recovery-codes", { password: PASSWORD }, bearer(user.access));
      expect(byPassword.status, byPassword.text).to.equal(200);
      expect(byPassword.json.recovery_codes).to.have.length(10);
    });

    it("a wrong code on a management route is invalid_grant and counts toward the lockout; neither or both proofs is a 400", async () => {
      const user = await enrolledUser();
      for (let i = 1; i <= MAX_FAILURES; i++) {
        const wrong = await rt.call("POST", "/auth/mfa/recovery-codes", { code: user.app.wrongCode() }, bearer(user.access));
        expect(wrong.status).to.equal(401);
        expect(wrong.json).to.deep.equal(WRONG_CODE);
      }
      expect((await rt.call("POST", "/auth/mfa/recovery-codes", { password: PASSWORD }, bearer(user.access))).status, "locked").to.equal(429);
      for (const body of [{}, { code: "123456", password: PASSWORD }]) {
        expect((await rt.call("DELETE", "/auth/mfa/totp", body, bearer(user.access))).status, JSON.stringify(body)).to.equal(400);
      }
      const off = await newUser();
      expect((await rt.call("POST", "/auth/mfa/recovery-codes", { password: PASSWORD }, bearer(off.access))).json.error).to.equal("mfa_not_enabled");
    });

    it("a password reset leaves MFA on: the second factor survives an email-only takeover", async () => {
      const user = await enrolledUser();
      expect((await rt.call("POST", "/auth/password/forgot", { email: user.email })).status).to.equal(202);
      const mail = (await mailTo(rt.ses.storeUrl, user.email)).find((m) => m.subject === "Reset your password")!;
      const token = decodeURIComponent(/token=([^\s"&<]+)/.exec(mail.text)![1]);
      expect((await rt.call("POST", "/auth/password/reset", { token, new_password: `${PASSWORD} reset` })).status).to.equal(204);
      const reply = await login(user.email, `${PASSWORD} reset`);
      expect(reply.json.mfa_required).to.equal(true);
    });
  });

  it("writes no code, secret, mfa_token or recovery code to any log line (LOG_LEVEL=debug)", async () => {
    const user = await newUser();
    const enrolled = (await enrol(user.access)).json;
    const app = new Authenticator(enrolled.secret);
    const secrets: string[] = [enrolled.secret, new URL(enrolled.otpauth_uri).searchParams.get("secret")!];
    const codes: string[] = [];
    const use = (code: string) => (codes.push(code), code);
    const confirmed = await rt.call("POST", "/auth/mfa/totp/confirm", { code: use(app.nextCode()) }, bearer(user.access));
    const recovery = confirmed.json.recovery_codes as string[];
    const token = await challenge(user.email);
    await verify({ mfa_token: token, code: use(app.wrongCode()) });
    await verify({ mfa_token: token, recovery_code: recovery[0] });
    await verify({ mfa_token: token, recovery_code: recovery[1] }); // a used challenge
    await rt.call("POST", "/auth/mfa/recovery-codes", { code: use(app.nextCode()) }, bearer(user.access));
    const lines = rt.console.join("\n");
    expect(lines, "the bundles logged at debug").to.include("mfa-verify");
    for (const secret of [...secrets, token, token.split(".")[1], ...recovery, ...recovery.map((c) => c.replace(/-/g, "").toUpperCase())]) {
      expect(lines.includes(secret), `a secret in the log: ${secret.slice(0, 4)}...`).to.equal(false);
    }
    for (const code of codes) expect(lines).not.to.match(new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`));
  });

  it("a refused challenge counts toward the address's failure window, as a failed login does", async () => {
    const from = "127.0.0.77";
    const send = () =>
      rt.send({ method: "POST", path: "/auth/mfa/verify", headers: { "content-type": "application/json" }, body: JSON.stringify({ mfa_token: `mfa1.${"B".repeat(43)}`, code: "123456" }), from });
    for (let i = 0; i < 2; i++) expect((await send()).status).to.equal(401);
    const counters = (await rt.scan()).filter((i) => i.pk?.S?.startsWith(`SOURCE#${from}#login-failure#`));
    // Linux routes all of 127/8 to loopback; elsewhere the harness falls back to 127.0.0.1, whose window other tests share.
    if (counters.length) expect(counters.map((c) => Number(c.hits?.N))).to.deep.equal([2]);
    else expect((await rt.scan()).some((i) => i.pk?.S?.startsWith("SOURCE#127.0.0.1#login-failure#"))).to.equal(true);
  });
});
