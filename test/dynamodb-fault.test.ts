/**
 * Fault test: the local DynamoDB (dynalite on a data folder) stops in the middle of a
 * flow and comes back on the same port with the same data. In between, every route that
 * needs the table answers 503 `temporarily_unavailable` with `Retry-After` (never a 500);
 * afterwards the flow goes on and nothing was half-written.
 */
import { expect } from "chai";
import { functions } from "../handlers/functions.js";
import { routes, type HandlerName } from "../handlers/routes.js";
import { sidOf } from "./helpers/refresh-tokens.js";
import { durableState, NO_REFRESH_GRACE, startInProcessRuntime, type InProcessRuntime, type Item, type Reply } from "./helpers/in-process-runtime.js";
import { bearer } from "./helpers/access-tokens.js";
/** Well-formed email tokens (they pass the shape check, so only the table can refuse them). */
const EMAIL_TOKEN = { verify: `ev1.00000000-0000-4000-8000-000000000000.${"A".repeat(43)}`, reset: `pr1.00000000-0000-4000-8000-000000000000.${"A".repeat(43)}` };
const needsTable = (handler: HandlerName) => functions.find((fn) => fn.name === handler)!.tableActions.length > 0;
/** A well-formed sign-in challenge (it passes the shape check, so only the table can refuse it). */
const MFA_TOKEN = `mfa1.${"A".repeat(43)}`;
/** The SDK retries (maxAttempts 3, backoff under a second): a refused connection must not hang a request. */
const OUTAGE_ANSWER_MS = 5_000;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("fault: DynamoDB stops in the middle of a flow and comes back", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  const alice = { email: "fault-alice@example.com", password: "correct horse battery alice" };
  const bob = { email: "fault-bob@example.com", password: "correct horse battery bob" };
  /** Alice's session after login and one refresh, just before the table goes away. */
  let tokens: { access: string; refresh: string };
  let beforeOutage: Record<string, Item>;
  let duringOutage: Array<{ handler: HandlerName; reply: Reply; ms: number }>;

  before(async () => {
    rt = await startInProcessRuntime(NO_REFRESH_GRACE);
    expect((await rt.call("POST", "/auth/register", alice)).status).to.equal(201);
    const login = await rt.call("POST", "/auth/login", alice);
    expect(login.status).to.equal(200);
    const refreshed = await rt.call("POST", "/auth/refresh", { refresh_token: login.json.refresh_token });
    expect(refreshed.status).to.equal(200);
    tokens = { access: refreshed.json.access_token, refresh: refreshed.json.refresh_token };
    beforeOutage = durableState(await rt.scan());

    await rt.dynamo.close();
    /** One request per route; a new route fails the type check until it is added here. */
    const requests: Record<HandlerName, () => Promise<Reply>> = {
      register: () => rt.call("POST", "/auth/register", bob),
      login: () => rt.call("POST", "/auth/login", alice),
      refresh: () => rt.call("POST", "/auth/refresh", { refresh_token: tokens.refresh }),
      logout: () => rt.call("POST", "/auth/logout", undefined, bearer(tokens.access)),
      me: () => rt.call("GET", "/me", undefined, bearer(tokens.access)),
      jwks: () => rt.call("GET", "/.well-known/jwks.json"),
      sessions: () => rt.call("GET", "/auth/sessions", undefined, bearer(tokens.access)),
      "end-session": () => rt.call("DELETE", `/auth/sessions/${sidOf(tokens.refresh)}`, undefined, bearer(tokens.access)),
      "change-password": () => rt.call("POST", "/auth/password", { current_password: alice.password, new_password: `${alice.password} renewed` }, bearer(tokens.access)),
      "delete-account": () => rt.call("DELETE", "/me", { password: alice.password }, bearer(tokens.access)),
      "verify-email": () => rt.call("POST", "/auth/verify-email", { token: EMAIL_TOKEN.verify }),
      "resend-verification": () => rt.call("POST", "/auth/verify-email/resend", { email: alice.email }),
      "forgot-password": () => rt.call("POST", "/auth/password/forgot", { email: alice.email }),
      "reset-password": () => rt.call("POST", "/auth/password/reset", { token: EMAIL_TOKEN.reset, new_password: `${alice.password} reset` }),
      discovery: () => rt.call("GET", "/.well-known/openid-configuration"),
      "oauth-token": () => rt.send({ method: "POST", path: "/oauth/token", headers: FORM, body: `grant_type=refresh_token&refresh_token=${tokens.refresh}` }),
      // A genuine token: revoking it during the outage must not half-happen (checked after).
      "oauth-revoke": () => rt.send({ method: "POST", path: "/oauth/revoke", headers: FORM, body: `token=${tokens.refresh}` }),
      "mfa-enrol": () => rt.call("POST", "/auth/mfa/totp", undefined, bearer(tokens.access)),
      "mfa-confirm": () => rt.call("POST", "/auth/mfa/totp/confirm", { code: "123456" }, bearer(tokens.access)),
      "mfa-disable": () => rt.call("DELETE", "/auth/mfa/totp", { password: alice.password }, bearer(tokens.access)),
      "mfa-recovery-codes": () => rt.call("POST", "/auth/mfa/recovery-codes", { code: "123456" }, bearer(tokens.access)),
      "mfa-verify": () => rt.call("POST", "/auth/mfa/verify", { mfa_token: MFA_TOKEN, code: "123456" }),
    };
    duringOutage = await Promise.all(
      routes.map(async ({ handler }) => {
        const started = performance.now();
        const reply = await requests[handler]();
        return { handler, reply, ms: performance.now() - started };
      }),
    );
    await rt.dynamo.reopen();
  });
  after(() => rt?.close());

  it("while it is down, every route that needs the table answers 503 temporarily_unavailable with Retry-After, promptly", () => {
    const tableRoutes = duringOutage.filter(({ handler }) => needsTable(handler));
    expect(tableRoutes.map(({ handler }) => handler)).to.include.members([
      "register",
      "login",
      "refresh",
      "me",
      "logout",
      "sessions",
      "end-session",
      "change-password",
      "delete-account",
      "verify-email",
      "resend-verification",
      "forgot-password",
      "reset-password",
      "oauth-token",
      "oauth-revoke",
      "mfa-enrol",
      "mfa-confirm",
      "mfa-disable",
      "mfa-recovery-codes",
      "mfa-verify",
    ]);
    for (const { handler, reply, ms } of tableRoutes) {
      expect(reply.status, `${handler}: ${reply.text}`).to.equal(503);
      expect(reply.headers["retry-after"], `${handler} says when to retry`).to.match(/^[1-9]\d*$/);
      expect(reply.json.error, handler).to.equal("temporarily_unavailable");
      expect(reply.json.error_description, handler).to.be.a("string").and.not.equal("");
      expect(reply.text, `${handler} leaks no internals`).not.to.match(/ECONNREFUSED|127\.0\.0\.1|\bat \S+ \(/);
      expect(ms, `${handler} answered within ${OUTAGE_ANSWER_MS} ms`).to.be.below(OUTAGE_ANSWER_MS);
    }
  });

  it("while it is down, routes that do not need the table keep working", () => {
    const others = duringOutage.filter(({ handler }) => !needsTable(handler));
    expect(others.map(({ handler }) => handler)).to.include.members(["jwks", "discovery"]);
    for (const { handler, reply } of others) expect(reply.status, `${handler}: ${reply.text}`).to.equal(200);
  });

  it("comes back with the same data, and nothing was written while it was down", async () => {
    expect(durableState(await rt.scan())).to.deep.equal(beforeOutage);
  });

  it("afterwards the flow goes on: the access token works, the refresh token works exactly once, the refused registration and logins succeed", async () => {
    const me = await rt.call("GET", "/me", undefined, bearer(tokens.access));
    expect(me.status, me.text).to.equal(200);
    expect(me.json.email).to.equal(alice.email);

    const refreshed = await rt.call("POST", "/auth/refresh", { refresh_token: tokens.refresh });
    expect(refreshed.status, `the refresh refused during the outage was not consumed: ${refreshed.text}`).to.equal(200);
    const again = await rt.call("POST", "/auth/refresh", { refresh_token: tokens.refresh });
    expect(again.status, "a refresh token works once").to.equal(401);

    // A user half-written during the outage would make this a 409.
    expect((await rt.call("POST", "/auth/register", bob)).status).to.equal(201);
    for (const account of [alice, bob]) {
      const login = await rt.call("POST", "/auth/login", account);
      expect(login.status, `${account.email} can log in: ${login.text}`).to.equal(200);
      const profile = await rt.call("GET", "/me", undefined, bearer(login.json.access_token));
      expect(profile.json.email).to.equal(account.email);
    }
  });
});
