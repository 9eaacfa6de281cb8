/**
 * Accounts and sessions against a real DynamoDB API (dynalite on 127.0.0.1): conditional
 * writes, concurrency, rotation and reuse detection, with an injected clock.
 */
import { DeleteItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { localMacKey } from "../handlers/lib/adapters/local-mac-key.js";
import type { Config } from "../handlers/lib/domain/config.js";
import { authenticate, profile, register } from "../handlers/lib/domain/accounts.js";
import { InvalidGrantError, InvalidRequestError, InvalidTokenError, UserExistsError } from "../handlers/lib/domain/errors.js";
import { argon2idHasher } from "../handlers/lib/adapters/argon2-hasher.js";
import { parseRefreshToken } from "../handlers/lib/domain/refresh-token.js";
import { endSession, endSessions, readSignOutScope, refreshSession, SIGN_OUT_SCOPES, startSession } from "../handlers/lib/domain/sessions.js";
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

  const refreshKey = localMacKey(randomBytes(32));
  const depsAt = (clock = manualClock(), overrides: Partial<Config> = {}) => ({
    store, hasher, signer: key.signer, refreshKey, config: { ...config, ...overrides }, clock, logger: recordingLogger(),
  });
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
      expect(p).to.deep.equal({ user_id: user.userId, email: c.email, email_verified: false, tenant: c.tenant, created_at: user.createdAt, mfa_enabled: false });
      const error = await profile({ tenant: c.tenant, email: c.email, userId: "someone-else" }, { store }).catch((e) => e);
      expect(error).to.be.instanceOf(InvalidTokenError);
    });
  });

  describe("refresh rotation (RFC 9700 §4.14.2)", () => {
    const login = async (clock = manualClock(), overrides: Partial<Config> = {}) => {
      const c = credentials();
      const user = await register(c, depsAt(clock));
      return { user, tokens: await startSession(user, depsAt(clock, overrides)), clock };
    };
    const sidOf = (token: string) => parseRefreshToken(token)!.sid;
    const generationOf = (token: string) => parseRefreshToken(token)!.generation;
    /** Rotates `times` times, one second apart; returns every refresh token, oldest first. */
    const rotations = async (first: string, times: number, clock: ReturnType<typeof manualClock>) => {
      const chain = [first];
      for (let i = 0; i < times; i++) {
        clock.advance(1_000);
        chain.push((await refreshSession(chain.at(-1)!, depsAt(clock))).refreshToken);
      }
      return chain;
    };

    it("rotates: the next generation of the same session, and an access token for it", async () => {
      const { tokens, clock, user } = await login();
      clock.advance(60_000);
      const next = await refreshSession(tokens.refreshToken, depsAt(clock));
      const sid = sidOf(tokens.refreshToken);
      expect(sidOf(next.refreshToken)).to.equal(sid);
      expect([generationOf(tokens.refreshToken), generationOf(next.refreshToken)]).to.deep.equal([0, 1]);
      const claims = verifyAccessToken(next.accessToken, { keys: [key.verification], issuer: config.issuer, audiences: config.tenants, clockToleranceSeconds: 0, maxLifetimeSeconds: config.accessTokenTtlSeconds, now: clock() });
      expect(claims).to.include({ sub: user.userId, sid });
      expect(next.refreshExpiresIn).to.equal(config.refreshTokenTtlSeconds - 60);
      expect(await store.getSession(sid)).to.include({ generation: 1, revoked: false, rotatedAt: clock() });
    });

    it("stores no usable secret: nothing in the raw item refreshes, and no token or mac appears in it", async () => {
      const { tokens, clock } = await login();
      const [, current] = await rotations(tokens.refreshToken, 1, clock);
      const sid = sidOf(current);
      const { Item } = await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: `SESSION#${sid}` }, sk: { S: "SESSION" } } }));
      const dump = JSON.stringify(Item);
      for (const token of [tokens.refreshToken, current]) {
        expect(dump).not.to.include(parseRefreshToken(token)!.mac);
      }
      // Everything the dump holds, tried as the token's mac: refused, and the session lives on.
      const values = Object.values(Item!).map((v) => String(Object.values(v)[0]));
      for (const value of values) {
        await grantRefused(refreshSession(`${sid}.1.${Buffer.from(value).toString("base64url").padEnd(43, "A").slice(0, 43)}`, depsAt(clock)));
      }
      expect((await refreshSession(current, depsAt(clock))).refreshToken).to.be.a("string");
    });

    it("within the grace window, the token just replaced gets the current one and the session lives on", async () => {
      const { tokens, clock } = await login();
      clock.advance(1_000);
      const winner = await refreshSession(tokens.refreshToken, depsAt(clock));
      clock.advance(config.refreshReuseGraceSeconds * 1000 - 1);
      const late = await refreshSession(tokens.refreshToken, depsAt(clock));
      expect(late.refreshToken, "converges on the current token").to.equal(winner.refreshToken);
      expect(late.accessToken).not.to.equal(winner.accessToken);
      expect(await store.getSession(sidOf(tokens.refreshToken))).to.include({ generation: 1, revoked: false });
      // Both clients (cookie and body alike) now hold a working token.
      const after = await refreshSession(winner.refreshToken, depsAt(clock));
      expect(generationOf(after.refreshToken)).to.equal(2);
    });

    for (const [label, rotate, wait] of [
      ["generation g-1 after the window", 1, config.refreshReuseGraceSeconds * 1000],
      ["generation g-2", 2, 0],
      ["generation g-5", 5, 0],
    ] as const) {
      it(`revokes the whole session on reuse of ${label}`, async () => {
        const { tokens, clock } = await login();
        const chain = await rotations(tokens.refreshToken, rotate, clock);
        clock.advance(wait);
        const deps = depsAt(clock);
        await grantRefused(refreshSession(chain[0], deps));
        expect((await store.getSession(sidOf(chain[0])))!.revoked).to.equal(true);
        await grantRefused(refreshSession(chain.at(-1)!, depsAt(clock)));
        const warning = JSON.parse(deps.logger.lines.find((l) => l.includes("refresh token reuse"))!);
        expect(warning).to.include({ level: "warn", sid: sidOf(chain[0]), presentedGeneration: 0, currentGeneration: rotate });
        expect(deps.logger.lines.join()).not.to.include(parseRefreshToken(chain[0])!.mac);
      });
    }

    it("a thief's five quick rotations are caught by the victim's stale token", async () => {
      const { tokens, clock } = await login();
      const stolen = tokens.refreshToken;
      let thief = stolen;
      for (let i = 0; i < 5; i++) thief = (await refreshSession(thief, depsAt(clock))).refreshToken;
      clock.advance(60_000);
      await grantRefused(refreshSession(stolen, depsAt(clock)));
      await grantRefused(refreshSession(thief, depsAt(clock)));
      expect((await store.getSession(sidOf(stolen)))!.revoked).to.equal(true);
    });

    it("a forged mac with a real sid revokes nothing, for any generation", async () => {
      const { tokens, clock } = await login();
      const [, current] = await rotations(tokens.refreshToken, 1, clock);
      const sid = sidOf(current);
      for (const generation of [0, 1, 2, 99]) {
        await grantRefused(refreshSession(`${sid}.${generation}.${randomBytes(32).toString("base64url")}`, depsAt(clock)));
      }
      // A genuine mac for another session does not transfer.
      const other = await login(clock);
      await grantRefused(refreshSession(`${sid}.0.${parseRefreshToken(other.tokens.refreshToken)!.mac}`, depsAt(clock)));
      expect(await store.getSession(sid)).to.include({ revoked: false, generation: 1 });
      expect(generationOf((await refreshSession(current, depsAt(clock))).refreshToken)).to.equal(2);
    });

    it("50 rounds of 8 concurrent refreshes with one token: all converge, one new generation, still signed in", async () => {
      const { tokens, clock } = await login();
      let token = tokens.refreshToken;
      for (let round = 1; round <= 50; round++) {
        clock.advance(60_000);
        const results = await Promise.all(Array.from({ length: 8 }, () => refreshSession(token, depsAt(clock))));
        const issued = new Set(results.map((r) => r.refreshToken));
        expect(issued.size, `round ${round}: one token for all`).to.equal(1);
        token = results[0].refreshToken;
        expect(generationOf(token), `round ${round}`).to.equal(round);
        expect(await store.getSession(sidOf(token)), `round ${round}`).to.include({ generation: round, revoked: false });
      }
    });

    it("with no grace window, one of 8 concurrent refreshes wins and the others are refused without revoking", async () => {
      const strict = { refreshReuseGraceSeconds: 0 };
      const { tokens, clock } = await login(manualClock(), strict);
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => refreshSession(tokens.refreshToken, depsAt(clock, strict))));
      const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof refreshSession>>> => r.status === "fulfilled");
      expect(won).to.have.length(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).to.be.instanceOf(InvalidGrantError);
      expect(await store.getSession(sidOf(tokens.refreshToken))).to.include({ generation: 1, revoked: false });
      clock.advance(1);
      await grantRefused(refreshSession(tokens.refreshToken, depsAt(clock, strict)));
      expect((await store.getSession(sidOf(tokens.refreshToken)))!.revoked, "a later replay is reuse").to.equal(true);
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

    it("refuses malformed and unknown tokens without revoking", async () => {
      const { tokens, clock } = await login();
      const { sid, mac } = parseRefreshToken(tokens.refreshToken)!;
      for (const bad of ["", "nodot", "a.b.c", `${sid}.0`, `${sid}.0.`, `${sid}..${mac}`, `${sid}.00.${mac}`, `${sid}.-1.${mac}`, `${sid}.1e3.${mac}`,
        `${sid}.0.${mac}.x`, `${"A".repeat(22)}.0.${mac}`, `${sid}.0.${"é".repeat(43)}`, "x".repeat(500)]) {
        await grantRefused(refreshSession(bad, depsAt(clock)));
      }
      expect((await store.getSession(sid))!.revoked).to.equal(false);
      expect((await refreshSession(tokens.refreshToken, depsAt(clock))).refreshToken).to.be.a("string");
    });

    it("logout revokes: the session can no longer refresh; a second logout is harmless", async () => {
      const { tokens, clock } = await login();
      const sid = sidOf(tokens.refreshToken);
      await endSession(sid, { store });
      await endSession(sid, { store });
      await grantRefused(refreshSession(tokens.refreshToken, depsAt(clock)));
    });

    describe("sign-out scopes and the user's session version", () => {
      /** One user with two sessions (two devices), each with a working refresh token. */
      const twoDevices = async () => {
        const clock = manualClock();
        const c = credentials();
        const user = await register(c, depsAt(clock));
        const phone = await startSession(user, depsAt(clock));
        const laptop = await startSession(user, depsAt(clock));
        const subject = (tokens: typeof phone) => ({ userId: user.userId, tenant: c.tenant, email: c.email, sid: sidOf(tokens.refreshToken) });
        return { clock, c, user, phone, laptop, subject };
      };
      const refreshes = (token: string, clock: ReturnType<typeof manualClock>) =>
        refreshSession(token, depsAt(clock)).then(() => true, (e) => (e instanceof InvalidGrantError ? false : Promise.reject(e)));

      it("local ends this session only", async () => {
        const { clock, phone, laptop, subject } = await twoDevices();
        await endSessions(subject(phone), "local", { store });
        expect([await refreshes(phone.refreshToken, clock), await refreshes(laptop.refreshToken, clock)]).to.deep.equal([false, true]);
      });

      it("others ends every other session and keeps this one refreshing", async () => {
        const { clock, phone, laptop, subject, user, c } = await twoDevices();
        await endSessions(subject(phone), "others", { store });
        expect([await refreshes(phone.refreshToken, clock), await refreshes(laptop.refreshToken, clock)]).to.deep.equal([true, false]);
        expect((await store.getUser(c.tenant, c.email))!.sessionVersion).to.equal(user.sessionVersion + 1);
      });

      it("global ends every session with one write to the user, and a new login works", async () => {
        const { clock, phone, laptop, subject, c } = await twoDevices();
        await endSessions(subject(phone), "global", { store });
        expect([await refreshes(phone.refreshToken, clock), await refreshes(laptop.refreshToken, clock)]).to.deep.equal([false, false]);
        const again = await startSession((await store.getUser(c.tenant, c.email))!, depsAt(clock));
        expect(await refreshes(again.refreshToken, clock)).to.equal(true);
      });

      it("a deleted or re-created account's old sessions no longer refresh", async () => {
        const { clock, phone, c } = await twoDevices();
        await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: { pk: { S: `USER#${c.tenant}#${c.email}` }, sk: { S: "PROFILE" } } }));
        expect(await refreshes(phone.refreshToken, clock), "account deleted").to.equal(false);
        await register(c, depsAt(clock));
        expect(await refreshes(phone.refreshToken, clock), "same email, another account").to.equal(false);
        // Bumping the re-created account does not need the old one's id, and refuses it.
        expect(await store.bumpSessionVersion(c.tenant, c.email, "the-old-user-id")).to.equal(undefined);
      });

      it("reads the scope: local by default, one of the three, anything else a 400", () => {
        expect(readSignOutScope({})).to.equal("local");
        for (const scope of SIGN_OUT_SCOPES) expect(readSignOutScope({ scope })).to.equal(scope);
        for (const scope of ["all", "GLOBAL", 1, null, ["global"]]) {
          expect(() => readSignOutScope({ scope }), JSON.stringify(scope)).to.throw(InvalidRequestError, "scope must be one of local, others, global");
        }
      });
    });

    it("revoking an unknown session creates nothing", async () => {
      await endSession("never-existed", { store });
      expect(await store.getSession("never-existed")).to.equal(undefined);
    });
  });
});
