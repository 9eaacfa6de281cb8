/**
 * Accounts and sessions against a real DynamoDB API (dynalite on 127.0.0.1): conditional
 * writes, concurrency, rotation and reuse detection, with an injected clock.
 */
import { expect } from "chai";
import { authenticate, profile, register } from "../handlers/lib/domain/accounts.js";
import { InvalidGrantError, InvalidTokenError, UserExistsError } from "../handlers/lib/domain/errors.js";
import { argon2idHasher } from "../handlers/lib/adapters/argon2-hasher.js";
import { parseRefreshToken } from "../handlers/lib/domain/refresh-token.js";
import { endSession, refreshSession, startSession } from "../handlers/lib/domain/sessions.js";
import type { AuthStore } from "../handlers/lib/domain/store.js";
import { verifyAccessToken } from "../handlers/lib/domain/verify-access-token.js";
import { manualClock, recordingLogger, testConfig } from "./helpers/config.js";
import { localTable } from "./helpers/dynalite.js";
import { p256 } from "./helpers/keys.js";

describe("accounts and sessions on dynalite", function () {
  this.timeout(60_000);
  let table: Awaited<ReturnType<typeof localTable>>;
  let store: AuthStore;
  const config = testConfig();
  const hasher = argon2idHasher();
  const key = p256();
  let n = 0;
  const credentials = () => ({ tenant: "default", email: `user${++n}@example.com`, password: "correct horse battery" });

  before(async () => {
    table = await localTable();
    store = table.store;
  });
  after(() => table?.close());

  const depsAt = (clock = manualClock()) => ({ store, hasher, signer: key.signer, config, clock, logger: recordingLogger() });
  const grantRefused = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e) => e);
    expect(error, "expected invalid_grant").to.be.instanceOf(InvalidGrantError);
  };

  describe("register", () => {
    it("stores an argon2id hash, never the password", async () => {
      const c = credentials();
      const user = await register(c, depsAt());
      const stored = await store.getUser(c.tenant, c.email);
      expect(stored).to.deep.equal(user);
      expect(stored!.passwordHash).to.match(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(JSON.stringify(stored)).not.to.include(c.password);
      expect(stored).to.include({ sessionVersion: 0 });
    });

    it("lets exactly one of 20 concurrent registrations of one email win", async () => {
      const c = credentials();
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => register(c, depsAt())));
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).to.have.length(1);
      expect(lost).to.have.length(19);
      for (const r of lost) expect(r.reason).to.be.instanceOf(UserExistsError);
      const stored = await store.getUser(c.tenant, c.email);
      expect(stored!.userId).to.equal((won[0] as PromiseFulfilledResult<{ userId: string }>).value.userId);
    });

    it("keeps tenants apart: the same email registers once per tenant", async () => {
      const c = credentials();
      const a = await register(c, depsAt());
      const b = await register({ ...c, tenant: "acme" }, depsAt());
      expect(a.userId).not.to.equal(b.userId);
    });
  });

  describe("authenticate", () => {
    it("accepts the right password and refuses a wrong one or an unknown email alike", async () => {
      const c = credentials();
      await register(c, depsAt());
      expect((await authenticate(c, depsAt())).email).to.equal(c.email);
      const wrong = await authenticate({ ...c, password: "wrong password!!" }, depsAt()).catch((e) => e);
      const unknown = await authenticate({ ...c, email: "nobody@example.com" }, depsAt()).catch((e) => e);
      expect(wrong).to.be.instanceOf(InvalidGrantError);
      expect(unknown).to.be.instanceOf(InvalidGrantError);
      expect(wrong.description).to.equal(unknown.description);
    });
  });

  describe("profile", () => {
    it("returns the public fields only, and refuses a token for a re-created account", async () => {
      const c = credentials();
      const user = await register(c, depsAt());
      const p = await profile({ tenant: c.tenant, email: c.email, userId: user.userId }, { store });
      expect(p).to.deep.equal({ user_id: user.userId, email: c.email, tenant: c.tenant, created_at: user.createdAt });
      const error = await profile({ tenant: c.tenant, email: c.email, userId: "someone-else" }, { store }).catch((e) => e);
      expect(error).to.be.instanceOf(InvalidTokenError);
    });
  });

  describe("refresh rotation", () => {
    const login = async (clock = manualClock()) => {
      const c = credentials();
      const user = await register(c, depsAt(clock));
      return { user, tokens: await startSession(user, depsAt(clock)), clock };
    };

    it("rotates: a new refresh token and an access token for the same session", async () => {
      const { tokens, clock, user } = await login();
      clock.advance(60_000);
      const next = await refreshSession(tokens.refreshToken, depsAt(clock));
      const sid = parseRefreshToken(tokens.refreshToken)!.sid;
      expect(parseRefreshToken(next.refreshToken)!.sid).to.equal(sid);
      expect(next.refreshToken).not.to.equal(tokens.refreshToken);
      const claims = verifyAccessToken(next.accessToken, { keys: [key.verification], issuer: config.issuer, audiences: config.tenants, clockToleranceSeconds: 0, now: clock() });
      expect(claims).to.include({ sub: user.userId, sid });
      expect(next.refreshExpiresIn).to.equal(config.refreshTokenTtlSeconds - 60);
      const session = await store.getSession(sid);
      expect(session).to.include({ generation: 1, revoked: false });
      expect(JSON.stringify(session)).not.to.include(parseRefreshToken(next.refreshToken)!.secret);
    });

    it("treats a replayed token as theft: the session is revoked, newest token included", async () => {
      const { tokens, clock } = await login();
      const deps = depsAt(clock);
      const second = await refreshSession(tokens.refreshToken, deps);
      clock.advance(1);
      await grantRefused(refreshSession(tokens.refreshToken, deps));
      expect((await store.getSession(parseRefreshToken(second.refreshToken)!.sid))!.revoked).to.equal(true);
      await grantRefused(refreshSession(second.refreshToken, deps));
      expect(deps.logger.lines.join()).to.include("refresh token reuse");
      expect(deps.logger.lines.join()).not.to.include(parseRefreshToken(tokens.refreshToken)!.secret);
    });

    it("lets exactly one of 10 concurrent refreshes with one token win, and the winner's token works", async () => {
      const { tokens, clock } = await login();
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => refreshSession(tokens.refreshToken, depsAt(clock))));
      const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof refreshSession>>> => r.status === "fulfilled");
      expect(won).to.have.length(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).to.be.instanceOf(InvalidGrantError);
      const session = await store.getSession(parseRefreshToken(tokens.refreshToken)!.sid);
      expect(session).to.include({ generation: 1, revoked: false });
      const third = await refreshSession(won[0].value.refreshToken, depsAt(clock));
      expect(third.refreshToken).to.be.a("string");
    });

    it("refuses an expired session (checked in code: DynamoDB TTL deletion lags)", async () => {
      const { tokens, clock } = await login();
      clock.advance(config.refreshTokenTtlSeconds * 1000);
      await grantRefused(refreshSession(tokens.refreshToken, depsAt(clock)));
    });

    it("does not extend the session: rotation keeps the login's expiry", async () => {
      const { tokens, clock } = await login();
      clock.advance((config.refreshTokenTtlSeconds - 10) * 1000);
      const next = await refreshSession(tokens.refreshToken, depsAt(clock));
      expect(next.refreshExpiresIn).to.equal(10);
      clock.advance(10_000);
      await grantRefused(refreshSession(next.refreshToken, depsAt(clock)));
    });

    it("refuses malformed, unknown and wrong-secret tokens without revoking", async () => {
      const { tokens, clock } = await login();
      const { sid } = parseRefreshToken(tokens.refreshToken)!;
      for (const bad of ["", "nodot", "a.b.c", `${sid}.`, `.${"x".repeat(43)}`, `${sid}.${"A".repeat(43)}`, `unknown.${"A".repeat(43)}`, `${sid}.${"é".repeat(10)}`, "x".repeat(500)]) {
        await grantRefused(refreshSession(bad, depsAt(clock)));
      }
      expect((await store.getSession(sid))!.revoked).to.equal(false);
      expect((await refreshSession(tokens.refreshToken, depsAt(clock))).refreshToken).to.be.a("string");
    });

    it("logout revokes: the session can no longer refresh; a second logout is harmless", async () => {
      const { tokens, clock } = await login();
      const { sid } = parseRefreshToken(tokens.refreshToken)!;
      await endSession(sid, { store });
      await endSession(sid, { store });
      await grantRefused(refreshSession(tokens.refreshToken, depsAt(clock)));
    });

    it("revoking an unknown session creates nothing", async () => {
      await endSession("never-existed", { store });
      expect(await store.getSession("never-existed")).to.equal(undefined);
    });
  });
});
