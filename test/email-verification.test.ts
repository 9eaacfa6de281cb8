/**
 * Email verification through the real bundles, the API Gateway stand-in, dynalite and the
 * local SES server: register without enumeration, the 403 for an unverified sign-in, the
 * link read from the mail that was sent, resends, two tenants, and the token refusals
 * (reused, expired, tampered, other purpose). Verification is required here, as it is by default.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { expireEmailToken } from "./helpers/dynalite.js";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { mailTo, tokenFromLink, type SentMail } from "./helpers/local-ses.js";
import { bearer, claimsOf } from "./helpers/access-tokens.js";

const PASSWORD = "correct horse battery staple";
const VERIFY_SUBJECT = "Verify your email address";
const ATTEMPT_SUBJECT = "Someone tried to sign up with your email address";
const REFUSED = { error: "invalid_grant", error_description: "the token is invalid, expired or already used" };
const newEmail = () => `verify-${randomBytes(6).toString("hex")}@example.com`;
/** Many registrations from one address in one window: the per-address limit is another test's subject. */
const ROOMY_LIMITS = { SOURCE_SIGNUPS_PER_WINDOW: "1000" };

describe("email verification (required; real bundles, local SES)", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  before(async () => {
    rt = await startInProcessRuntime({ REQUIRE_EMAIL_VERIFICATION: "true", TENANTS: "default,acme", LOG_LEVEL: "debug", ...ROOMY_LIMITS });
  });
  after(() => rt?.close());

  const inbox = (address: string) => mailTo(rt.ses.storeUrl, address);
  const only = async (address: string, subject: string): Promise<SentMail[]> => (await inbox(address)).filter((m) => m.subject === subject);
  const register = (email: string, tenant?: string, password = PASSWORD) => rt.call("POST", "/auth/register", { email, password, ...(tenant ? { tenant } : {}) });
  const login = (email: string, tenant?: string, password = PASSWORD) => rt.call("POST", "/auth/login", { email, password, ...(tenant ? { tenant } : {}) });
  const verify = (token: string) => rt.call("POST", "/auth/verify-email", { token });
  const resend = (email: string, tenant?: string) => rt.call("POST", "/auth/verify-email/resend", { email, ...(tenant ? { tenant } : {}) });
  const verifyToken = async (email: string, nth = -1) => tokenFromLink((await only(email, VERIFY_SUBJECT)).at(nth)!, "verify-email");

  it("register answers the same 202 for a new and a taken email; the new address gets its link, the owner of the taken one a warning", async () => {
    const email = newEmail();
    const first = await register(email);
    const second = await register(email, undefined, `${PASSWORD} but another`);
    for (const reply of [first, second]) {
      expect(reply.status, reply.text).to.equal(202);
      expect(reply.json).to.deep.equal({ email });
    }
    expect(Object.keys(first.headers).sort()).to.deep.equal(Object.keys(second.headers).sort());
    const mails = await inbox(email);
    expect(mails.map((m) => m.subject)).to.deep.equal([VERIFY_SUBJECT, ATTEMPT_SUBJECT]);
    expect(mails[0].text).to.include(`${rt.url}/verify-email?token=`);
    expect(mails[0].text).to.include("24 hours");
    expect(mails[1].text, "the warning carries no token").not.to.include("token=");
    // The second registration changed nothing: the first password still is the account's.
    await verify(await verifyToken(email));
    expect((await login(email)).status).to.equal(200);
    expect((await login(email, undefined, `${PASSWORD} but another`)).status).to.equal(401);
  });

  it("a correct password on an unverified account is 403 email_not_verified with no tokens; a wrong one stays 401", async () => {
    const email = newEmail();
    await register(email);
    const right = await login(email);
    expect(right.status, right.text).to.equal(403);
    expect(right.json.error).to.equal("email_not_verified");
    expect(right.json).not.to.have.property("access_token");
    expect(right.headers["set-cookie"], "no refresh cookie").to.equal(undefined);
    const wrong = await login(email, undefined, `${PASSWORD}!`);
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error).to.equal("invalid_grant");
  });

  it("the link from the mail verifies the address once: sign-in works, the token and /me say email_verified, a reuse is refused", async () => {
    const email = newEmail();
    await register(email);
    const token = await verifyToken(email);
    const verified = await verify(token);
    expect(verified.status, verified.text).to.equal(204);
    const signedIn = await login(email);
    expect(signedIn.status, signedIn.text).to.equal(200);
    expect(claimsOf(signedIn.json.access_token)).to.include({ email, email_verified: true });
    const me = await rt.call("GET", "/me", undefined, bearer(signedIn.json.access_token));
    expect(me.json).to.include({ email, email_verified: true });
    const again = await verify(token);
    expect(again.status).to.equal(401);
    expect(again.json).to.deep.equal(REFUSED);
  });

  it("refuses a tampered token, a token of another shape or purpose, and an expired one, all alike", async () => {
    const email = newEmail();
    await register(email);
    const token = await verifyToken(email);
    const [tag, userId, secret] = token.split(".");
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    for (const bad of [`${tag}.${userId}.${flipped}`, `pr1.${userId}.${secret}`, `${tag}.${userId}.${secret}x`, "not-a-token", `${tag}.${userId}`]) {
      const reply = await verify(bad);
      expect(reply.status, bad).to.equal(401);
      expect(reply.json, bad).to.deep.equal(REFUSED);
    }
    // None of those consumed it, but once past its lifetime (the stored expiry, as TTL deletion lags) it is refused.
    await expireEmailToken(rt.dynamo.endpoint, rt.tableName, userId, "verify-email");
    expect((await verify(token)).json).to.deep.equal(REFUSED);
    expect((await login(email)).status, "still unverified").to.equal(403);
  });

  it("a body without a token string is 400 invalid_request, before any lookup", async () => {
    for (const body of [{}, { token: 42 }, { token: null }]) {
      const reply = await rt.call("POST", "/auth/verify-email", body);
      expect(reply.status, JSON.stringify(body)).to.equal(400);
      expect(reply.json.error).to.equal("invalid_request");
    }
  });

  it("resend always answers 202; only an unverified account gets mail, and the new link replaces the old one", async () => {
    const unverified = newEmail();
    const verified = newEmail();
    const unknown = newEmail();
    await register(unverified);
    await register(verified);
    await verify(await verifyToken(verified));
    for (const email of [unverified, verified, unknown]) {
      const reply = await resend(email);
      expect(reply.status, email).to.equal(202);
      expect(reply.json).to.deep.equal({ email });
    }
    expect((await only(unverified, VERIFY_SUBJECT)).length).to.equal(2);
    expect((await only(verified, VERIFY_SUBJECT)).length, "a verified account gets no new link").to.equal(1);
    expect(await inbox(unknown), "an unknown address gets nothing").to.deep.equal([]);
    const [old, current] = [await verifyToken(unverified, 0), await verifyToken(unverified, 1)];
    expect((await verify(old)).json, "the earlier link stopped working").to.deep.equal(REFUSED);
    expect((await verify(current)).status).to.equal(204);
  });

  it("keeps tenants apart: the same email in two tenants is two accounts, each verified by its own link only", async () => {
    const email = newEmail();
    expect((await register(email, "default")).status).to.equal(202);
    expect((await register(email, "acme")).status).to.equal(202);
    const links = await only(email, VERIFY_SUBJECT);
    expect(links, "two new accounts, two links").to.have.length(2);
    await verify(tokenFromLink(links[1], "verify-email"));
    const acme = await login(email, "acme");
    expect(acme.status, acme.text).to.equal(200);
    expect(claimsOf(acme.json.access_token).aud).to.equal("acme");
    expect((await login(email, "default")).status, "the other tenant's account is still unverified").to.equal(403);
    // A resend names the tenant: only that account gets a link.
    await resend(email, "acme");
    expect(await only(email, VERIFY_SUBJECT), "acme is verified: no new link").to.have.length(2);
    await resend(email, "default");
    expect(await only(email, VERIFY_SUBJECT)).to.have.length(3);
    await verify(await verifyToken(email));
    expect((await login(email, "default")).status).to.equal(200);
  });

  it("a link replaced by a resend, from an account since deleted, does nothing to the account registered again under that email", async () => {
    const email = newEmail();
    await register(email);
    const stale = await verifyToken(email);
    // Verify through a second link, sign in, delete the account, register again.
    await resend(email);
    await verify(await verifyToken(email));
    const session = await login(email);
    expect((await rt.call("DELETE", "/me", { password: PASSWORD }, bearer(session.json.access_token))).status).to.equal(204);
    expect((await register(email)).status).to.equal(202);
    expect((await verify(stale)).json).to.deep.equal(REFUSED);
    expect((await login(email)).status, "the new account is still unverified").to.equal(403);
  });

  it("mail to one account is limited per window, for unknown addresses alike: then 429 with Retry-After", async () => {
    const email = newEmail();
    await register(email); // the first of 3 mails per window (ACCOUNT_EMAILS_PER_WINDOW's default)
    for (let i = 0; i < 2; i++) expect((await resend(email)).status).to.equal(202);
    const over = await resend(email);
    expect(over.status).to.equal(429);
    expect(over.json.error).to.equal("too_many_attempts");
    expect(over.headers["retry-after"]).to.match(/^[1-9]\d*$/);
    expect(await only(email, VERIFY_SUBJECT), "nothing sent past the limit").to.have.length(3);
    const unknown = newEmail();
    for (let i = 0; i < 3; i++) expect((await resend(unknown)).status).to.equal(202);
    expect((await resend(unknown)).status, "an unknown address is limited the same way").to.equal(429);
  });

  it("when the verification mail cannot be sent, register answers 503 and leaves no account behind; a retry works", async () => {
    const email = newEmail();
    const failed = await rt.withSesStopped(() => register(email));
    expect(failed.status, failed.text).to.equal(503);
    expect(failed.json.error).to.equal("temporarily_unavailable");
    const items = await rt.scan();
    expect(items.filter((item) => item.pk.S!.startsWith("USER#") && item.email?.S === email), "no half-written account").to.deep.equal([]);
    expect(items.filter((item) => item.pk.S!.startsWith("EMAILTOKEN#") && item.email?.S === email), "no orphan token").to.deep.equal([]);
    expect((await register(email)).status).to.equal(202);
    expect(await only(email, VERIFY_SUBJECT), "the retry registered anew, not as a taken email").to.have.length(1);
  });

  it("logs no email token, password or email address", async () => {
    const log = rt.console.join("\n");
    expect(rt.console.length, "the flows above logged at debug").to.be.greaterThan(0);
    expect(log).not.to.include(PASSWORD);
    expect(log).not.to.match(/ev1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}/);
    expect(log).not.to.match(/verify-[0-9a-f]{12}@example\.com/);
  });
});

describe("email verification (optional; real bundles, local SES)", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  before(async () => {
    rt = await startInProcessRuntime({ REQUIRE_EMAIL_VERIFICATION: "false" });
  });
  after(() => rt?.close());

  it("register answers 201 and still mails the link; a taken email is 409; sign-in works before verification, with email_verified false", async () => {
    const email = newEmail();
    const created = await rt.call("POST", "/auth/register", { email, password: PASSWORD });
    expect(created.status, created.text).to.equal(201);
    expect(created.json).to.have.keys(["user_id", "email"]);
    const taken = await rt.call("POST", "/auth/register", { email, password: PASSWORD });
    expect(taken.status).to.equal(409);
    expect(taken.json.error).to.equal("user_exists");
    const mails = await mailTo(rt.ses.storeUrl, email);
    expect(mails.map((m) => m.subject), "a link, and no warning where 409 already says it").to.deep.equal([VERIFY_SUBJECT]);
    const signedIn = await rt.call("POST", "/auth/login", { email, password: PASSWORD });
    expect(signedIn.status, signedIn.text).to.equal(200);
    expect(claimsOf(signedIn.json.access_token).email_verified).to.equal(false);
  });

  it("after verifying, the next refresh of a session opened before carries email_verified true, and so do later ones", async () => {
    const email = newEmail();
    await rt.call("POST", "/auth/register", { email, password: PASSWORD });
    const signedIn = await rt.call("POST", "/auth/login", { email, password: PASSWORD });
    const before = await rt.call("POST", "/auth/refresh", { refresh_token: signedIn.json.refresh_token });
    expect(claimsOf(before.json.access_token).email_verified, "not verified yet").to.equal(false);
    const [mail] = await mailTo(rt.ses.storeUrl, email);
    expect((await rt.call("POST", "/auth/verify-email", { token: tokenFromLink(mail, "verify-email") })).status).to.equal(204);
    const after = await rt.call("POST", "/auth/refresh", { refresh_token: before.json.refresh_token });
    expect(after.status, after.text).to.equal(200);
    expect(claimsOf(after.json.access_token).email_verified).to.equal(true);
    const later = await rt.call("POST", "/auth/refresh", { refresh_token: after.json.refresh_token });
    expect(claimsOf(later.json.access_token).email_verified).to.equal(true);
    const me = await rt.call("GET", "/me", undefined, bearer(later.json.access_token));
    expect(me.json.email_verified).to.equal(true);
  });
});
