/**
 * Strict routes and sessions through the real bundles, the API Gateway stand-in and
 * dynalite: the session list and ending one session, sign-out scopes over HTTP, and a strict
 * route refusing a token right after logout while a stateless one accepts it until expiry.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { mailTo } from "./helpers/local-ses.js";
import { sidOf } from "./helpers/refresh-tokens.js";
import { dynamoEmailTokens } from "../handlers/lib/adapters/dynamo-email-tokens.js";
import { issueEmailToken } from "../handlers/lib/domain/email-tokens.js";
import { localDynamoClient } from "../local/dynalite.js";
import { testConfig } from "./helpers/config.js";
import { bearer } from "./helpers/access-tokens.js";

describe("strict routes and the session list (real bundles in process)", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  before(async () => {
    rt = await startInProcessRuntime();
  });
  after(() => rt?.close());

  const password = "correct horse battery staple";
  const newUser = async () => {
    const email = `user-${randomBytes(6).toString("hex")}@example.com`;
    expect((await rt.call("POST", "/auth/register", { email, password })).status).to.equal(201);
    return email;
  };
  const login = async (email: string, userAgent: string) => {
    const reply = await rt.call("POST", "/auth/login", { email, password }, { "user-agent": userAgent });
    expect(reply.status, reply.text).to.equal(200);
    return { access: reply.json.access_token as string, refresh: reply.json.refresh_token as string, sid: sidOf(reply.json.refresh_token) };
  };
  const refreshStatus = async (token: string) => (await rt.call("POST", "/auth/refresh", { refresh_token: token })).status;
  const sessionsOf = async (access: string) => rt.call("GET", "/auth/sessions", undefined, bearer(access));

  it("lists the user's live sessions with device details, the caller's marked current, and no token", async () => {
    const email = await newUser();
    const phone = await login(email, "Phone/1.0");
    const laptop = await login(email, "Laptop/2.0");
    const reply = await sessionsOf(phone.access);
    expect(reply.status, reply.text).to.equal(200);
    const sessions = reply.json.sessions as Array<Record<string, unknown>>;
    expect(sessions.map((s) => s.sid).sort()).to.deep.equal([phone.sid, laptop.sid].sort());
    const mine = sessions.find((s) => s.sid === phone.sid)!;
    expect(mine).to.include({ current: true, user_agent: "Phone/1.0" });
    expect(mine.source_ip).to.be.a("string").and.not.be.empty;
    expect(Date.parse(String(mine.created_at))).to.be.a("number").and.not.NaN;
    expect(Object.keys(mine).sort()).to.deep.equal(["created_at", "current", "last_used_at", "sid", "source_ip", "user_agent"]);
    expect(sessions.find((s) => s.sid === laptop.sid)).to.include({ current: false, user_agent: "Laptop/2.0" });
    expect(reply.text).not.to.include(phone.refresh.split(".").at(-1)!);
  });

  it("ends one of the user's sessions; another user's sid, or none, is the same 404", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const phone = await login(alice, "Phone/1.0");
    const laptop = await login(alice, "Laptop/2.0");
    const bobs = await login(bob, "Bob/1.0");

    for (const sid of [bobs.sid, "no-such-session", "%E0%A4%A"]) {
      const refused = await rt.call("DELETE", `/auth/sessions/${sid}`, undefined, bearer(phone.access));
      expect(refused.status, `${sid}: ${refused.text}`).to.equal(404);
    }
    const notFound = await rt.call("DELETE", `/auth/sessions/${bobs.sid}`, undefined, bearer(phone.access));
    expect(notFound.json).to.deep.equal({ error: "not_found", error_description: "no such session" });
    expect(await refreshStatus(bobs.refresh), "bob's session untouched").to.equal(200);

    const ended = await rt.call("DELETE", `/auth/sessions/${laptop.sid}`, undefined, bearer(phone.access));
    expect(ended.status).to.equal(204);
    expect(await refreshStatus(laptop.refresh), "the ended session cannot refresh").to.equal(401);
    const left = (await sessionsOf(phone.access)).json.sessions as Array<{ sid: string }>;
    expect(left.map((s) => s.sid)).to.deep.equal([phone.sid]);
  });

  it("a strict route refuses a token right after logout, while a stateless one accepts it until it expires", async () => {
    const email = await newUser();
    const phone = await login(email, "Phone/1.0");
    expect((await sessionsOf(phone.access)).status).to.equal(200);
    expect((await rt.call("POST", "/auth/logout", undefined, bearer(phone.access))).status).to.equal(204);
    const strict = await sessionsOf(phone.access);
    expect(strict.status).to.equal(401);
    expect(strict.json).to.deep.equal({ error: "invalid_token", error_description: "this session has ended; sign in again" });
    expect((await rt.call("DELETE", `/auth/sessions/${phone.sid}`, undefined, bearer(phone.access))).status).to.equal(401);
    expect((await rt.call("GET", "/me", undefined, bearer(phone.access))).status, "stateless /me").to.equal(200);
  });

  it("sign-out scopes: others keeps this session (and its cookie), global ends all, a bad scope is a 400", async () => {
    const email = await newUser();
    const phone = await login(email, "Phone/1.0");
    const laptop = await login(email, "Laptop/2.0");

    const bad = await rt.call("POST", "/auth/logout", { scope: "everything" }, bearer(phone.access));
    expect(bad.status).to.equal(400);
    expect(bad.json.error_description).to.equal("scope must be one of local, others, global");

    const others = await rt.call("POST", "/auth/logout", { scope: "others" }, bearer(phone.access));
    expect(others.status).to.equal(204);
    expect(others.headers["set-cookie"], "this session keeps its cookie").to.equal(undefined);
    expect(await refreshStatus(laptop.refresh)).to.equal(401);
    expect((await sessionsOf(laptop.access)).status, "the other device's strict routes stop at once").to.equal(401);
    const listed = (await sessionsOf(phone.access)).json.sessions as Array<{ sid: string }>;
    expect(listed.map((s) => s.sid)).to.deep.equal([phone.sid]);

    const tablet = await login(email, "Tablet/3.0");
    const global = await rt.call("POST", "/auth/logout", { scope: "global" }, bearer(tablet.access));
    expect(global.status).to.equal(204);
    expect(global.headers["set-cookie"]?.[0]).to.match(/^refresh_token=; .*Max-Age=0/);
    for (const device of [phone, tablet]) {
      expect((await sessionsOf(device.access)).status).to.equal(401);
    }
    expect(await refreshStatus(phone.refresh)).to.equal(401);
    const again = await login(email, "Phone/1.0");
    expect((await sessionsOf(again.access)).status, "a new login works").to.equal(200);
  });

  describe("password change and account deletion", () => {
    const loginStatus = async (email: string, pw: string) => (await rt.call("POST", "/auth/login", { email, password: pw })).status;

    it("changes the password: this session continues, every other ends, the old password stops working", async () => {
      const email = await newUser();
      const phone = await login(email, "Phone/1.0");
      const laptop = await login(email, "Laptop/2.0");
      const change = (body: unknown) => rt.call("POST", "/auth/password", body, bearer(phone.access));

      const wrong = await change({ current_password: "not the password at all", new_password: "a brand new passphrase" });
      expect(wrong.status).to.equal(401);
      expect(wrong.json).to.deep.equal({ error: "invalid_grant", error_description: "the current password is incorrect" });
      const common = await change({ current_password: password, new_password: "1qaz2wsx3edc" });
      expect(common.status).to.equal(400);
      expect(common.json.error_description).to.match(/^new_password is one of the most common breached passwords/);
      expect((await change({ current_password: password })).json.error_description).to.equal("new_password is required");

      const newPassword = "a brand new passphrase";
      expect((await change({ current_password: password, new_password: newPassword })).status).to.equal(204);
      expect(await refreshStatus(phone.refresh), "this session continues").to.equal(200);
      expect((await sessionsOf(phone.access)).status).to.equal(200);
      expect(await refreshStatus(laptop.refresh), "the other session ends").to.equal(401);
      expect((await sessionsOf(laptop.access)).status).to.equal(401);
      expect(await loginStatus(email, password), "old password").to.equal(401);
      expect(await loginStatus(email, newPassword), "new password").to.equal(200);
      const notices = (await mailTo(rt.ses.storeUrl, email)).filter((mail) => mail.subject === "Your password was changed");
      expect(notices, "the owner is told once, for the one change that happened").to.have.length(1);
    });

    it("a wrong current password counts toward the account's lockout", async () => {
      const email = await newUser();
      const phone = await login(email, "Phone/1.0");
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await rt.call("POST", "/auth/password", { current_password: `wrong guess ${i}`, new_password: "a brand new passphrase" }, bearer(phone.access))).status);
      }
      expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
      expect(await loginStatus(email, password), "locked for logins too").to.equal(429);
    });

    it("deletes the account after its password: sessions end, old tokens fail, the email registers anew", async () => {
      const email = await newUser();
      const phone = await login(email, "Phone/1.0");
      const laptop = await login(email, "Laptop/2.0");
      const wrong = await rt.call("DELETE", "/me", { password: "not the password at all" }, bearer(phone.access));
      expect(wrong.status).to.equal(401);
      expect(await loginStatus(email, password), "still there after a wrong password").to.equal(200);

      // A pending email token (a reset link, say) must go with the account.
      const userId = (await rt.call("GET", "/me", undefined, bearer(phone.access))).json.user_id;
      const tokens = { emailTokens: dynamoEmailTokens(localDynamoClient(rt.dynamo.endpoint), rt.tableName), config: testConfig(), clock: () => Date.now() };
      await issueEmailToken("reset-password", { userId, tenant: "default", email }, tokens);
      expect((await rt.scan()).some((item) => item.pk?.S?.startsWith("EMAILTOKEN#")), "the token item exists").to.equal(true);

      const deleted = await rt.call("DELETE", "/me", { password }, bearer(phone.access));
      expect(deleted.status).to.equal(204);
      expect(deleted.headers["set-cookie"]?.[0]).to.match(/^refresh_token=; .*Max-Age=0/);
      // Checked before any later request: a login attempt for an unknown email makes a counter, by design.
      expect((await rt.scan()).filter((item) => JSON.stringify(item).includes(email)), "no item holds the email").to.deep.equal([]);
      for (const device of [phone, laptop]) {
        expect(await refreshStatus(device.refresh)).to.equal(401);
        expect((await sessionsOf(device.access)).status).to.equal(401);
      }
      expect(await loginStatus(email, password)).to.equal(401);

      expect((await rt.call("POST", "/auth/register", { email, password })).status, "the email registers again").to.equal(201);
      expect(await refreshStatus(phone.refresh), "an old token does not fit the new account").to.equal(401);
      expect((await rt.call("GET", "/me", undefined, bearer(phone.access))).status, "nor does an old access token's profile").to.equal(401);
    });
  });
});
