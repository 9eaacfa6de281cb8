/**
 * Brute-force limits against a real DynamoDB API (dynalite on 127.0.0.1) with an injected
 * clock: per-account lockout (sequential, parallel, unknown email, the 100-failure
 * ceiling) and per-source-address windows.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { localMacKey } from "../handlers/lib/adapters/local-mac-key.js";
import { register } from "../handlers/lib/domain/accounts.js";
import type { Limits } from "../handlers/lib/domain/config.js";
import type { CounterStore } from "../handlers/lib/domain/counters.js";
import { InvalidGrantError, TemporarilyUnavailableError, TooManyAttemptsError } from "../handlers/lib/domain/errors.js";
import { CEILING_TTL_SECONDS, COUNTER_TTL_SECONDS, countAttempt, lockedForMs, MAX_CONSECUTIVE_FAILURES } from "../handlers/lib/domain/lockout.js";
import { attemptLogin } from "../handlers/lib/domain/login-attempt.js";
import type { PasswordHasher } from "../handlers/lib/domain/passwords.js";
import { refreshSession, startSession } from "../handlers/lib/domain/sessions.js";
import { admitSignup, limitFailures, sourceBucket, sourceWindow } from "../handlers/lib/domain/source-limits.js";
import { ARGON2ID_PARAMS, argon2idHasher } from "../handlers/lib/adapters/argon2-hasher.js";
import { dynamoCounters } from "../handlers/lib/adapters/dynamo-counters.js";
import { localDynamoClient } from "../local/dynalite.js";
import { accountRefUnder } from "../handlers/lib/domain/account-ref.js";
import { manualClock, recordingLogger, testConfig, testLimits } from "./helpers/config.js";
import { localTable } from "./helpers/dynalite.js";
import { p256 } from "./helpers/keys.js";

const PASSWORD = "correct horse battery";
const WRONG = "wrong horse battery";

/** The real argon2id hasher, counting how often it is asked to verify. */
function countingHasher(params: Parameters<typeof argon2idHasher>[0] = ARGON2ID_PARAMS): PasswordHasher & { verifies: number } {
  const real = argon2idHasher(params);
  const counting = {
    verifies: 0,
    hash: real.hash,
    verify: (hash: string, password: string) => {
      counting.verifies++;
      return real.verify(hash, password);
    },
    verifyDummy: (password: string) => {
      counting.verifies++;
      return real.verifyDummy(password);
    },
  };
  return counting;
}

/** What a login attempt answered: 200, 401, or 429 with its Retry-After. */
type Outcome = "200" | "401" | `429 ${number}`;
const outcome = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (): Outcome => "200",
    (error): Outcome => {
      if (error instanceof InvalidGrantError) return "401";
      if (error instanceof TooManyAttemptsError) return `429 ${error.retryAfterSeconds!}`;
      throw error;
    },
  );

describe("brute-force limits on dynalite", function () {
  this.timeout(60_000);
  let table: Awaited<ReturnType<typeof localTable>>;
  let n = 0;

  before(async () => {
    table = await localTable();
  });
  after(() => table?.close());

  /** Fresh deps over the shared table; limits default to the documented defaults, source limits out of the way. */
  const setup = (limits: Partial<Limits> = {}, clock = manualClock(), hashing: Parameters<typeof argon2idHasher>[0] = ARGON2ID_PARAMS) => {
    const logger = recordingLogger();
    const hasher = countingHasher(hashing);
    const deps = {
      store: table.store,
      counters: table.counters,
      hasher,
      clock,
      logger,
      limits: testLimits({ sourceFailedLoginsPerWindow: 1_000_000, ...limits }),
      accountRef: accountRefUnder(localMacKey(randomBytes(32))),
    };
    return { deps, clock, logger, hasher };
  };
  const newAccount = async (deps: ReturnType<typeof setup>["deps"]) => {
    const credentials = { tenant: "default", email: `lock${++n}@example.com`, password: PASSWORD };
    await register(credentials, deps);
    return credentials;
  };
  let ip = 0;
  const newIp = () => `198.51.100.${++ip}`;

  describe("rules", () => {
    const policy = testLimits();
    it("locks after N failures for base seconds, doubling per further failure up to the cap", () => {
      const now = Date.UTC(2026, 0, 1);
      let counter = undefined as ReturnType<typeof countAttempt> | undefined;
      const locks: number[] = [];
      for (let i = 0; i < 12; i++) {
        counter = countAttempt(counter, now, policy);
        locks.push((counter.lockedUntil && counter.lockedUntil - now) / 1000);
      }
      expect(locks).to.deep.equal([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
      expect(counter!.expiresAt).to.equal(now / 1000 + COUNTER_TTL_SECONDS);
    });

    it("forgets a counter past its TTL, even before DynamoDB deletes it", () => {
      const now = Date.UTC(2026, 0, 1);
      const stale = { failures: 9, lockedUntil: now + 5_000, expiresAt: now / 1000 - 1 };
      expect(lockedForMs(stale, now)).to.equal(0);
      expect(countAttempt(stale, now, policy).failures).to.equal(1);
    });

    it(`stops at ${MAX_CONSECUTIVE_FAILURES} failures for ${CEILING_TTL_SECONDS / 86_400} days, whatever the lock settings`, () => {
      const now = Date.UTC(2026, 0, 1);
      const atCeiling = countAttempt({ failures: 99, lockedUntil: 0, expiresAt: now / 1000 + 60 }, now, testLimits({ lockoutMaxFailures: 20, lockoutBaseSeconds: 1, lockoutMaxSeconds: 1 }));
      expect(atCeiling).to.deep.equal({ failures: 100, lockedUntil: now + CEILING_TTL_SECONDS * 1000, expiresAt: now / 1000 + CEILING_TTL_SECONDS });
      expect(lockedForMs({ ...atCeiling, lockedUntil: 0 }, now + 1000)).to.equal(CEILING_TTL_SECONDS * 1000 - 1000);
    });
  });

  describe("per account", () => {
    it("sequential: N failures, then 429 with the exact Retry-After; the right password is refused while locked; the lock doubles; the cap holds", async () => {
      const { deps, clock, hasher } = setup({ lockoutMaxSeconds: 120 });
      const account = await newAccount(deps);
      const wrong = { ...account, password: WRONG };
      const source = newIp();
      const seen: Outcome[] = [];
      for (let i = 0; i < 5; i++) seen.push(await outcome(attemptLogin(wrong, source, deps)));
      expect(seen).to.deep.equal(["401", "401", "401", "401", "401"]);
      expect(await outcome(attemptLogin(wrong, source, deps))).to.equal("429 30");
      const verifies = hasher.verifies;
      expect(await outcome(attemptLogin(account, source, deps)), "right password while locked").to.equal("429 30");
      expect(hasher.verifies, "no argon2id work while locked").to.equal(verifies);

      clock.advance(29_500);
      expect(await outcome(attemptLogin(account, source, deps))).to.equal("429 1");
      clock.advance(500);
      expect(await outcome(attemptLogin(wrong, source, deps)), "first failure after the lock").to.equal("401");
      expect(await outcome(attemptLogin(wrong, source, deps))).to.equal("429 60");
      clock.advance(60_000);
      expect(await outcome(attemptLogin(wrong, source, deps))).to.equal("401");
      expect(await outcome(attemptLogin(wrong, source, deps))).to.equal("429 120");
      clock.advance(120_000);
      expect(await outcome(attemptLogin(wrong, source, deps))).to.equal("401");
      expect(await outcome(attemptLogin(wrong, source, deps)), "capped at lockout_max_seconds").to.equal("429 120");
    });

    it("a success resets the counter: the next lock needs N failures again and starts at base", async () => {
      const { deps, clock } = setup();
      const account = await newAccount(deps);
      const wrong = { ...account, password: WRONG };
      const source = newIp();
      for (let i = 0; i < 6; i++) await outcome(attemptLogin(wrong, source, deps));
      clock.advance(60_000);
      expect(await outcome(attemptLogin(account, source, deps))).to.equal("200");
      expect(await table.counters.getLoginCounter(account.tenant, account.email)).to.equal(undefined);
      const seen: Outcome[] = [];
      for (let i = 0; i < 6; i++) seen.push(await outcome(attemptLogin(wrong, source, deps)));
      expect(seen).to.deep.equal(["401", "401", "401", "401", "401", "429 30"]);
    });

    it("a success just before the lock still signs in, and leaves no lock behind", async () => {
      const { deps } = setup();
      const account = await newAccount(deps);
      const source = newIp();
      for (let i = 0; i < 4; i++) await outcome(attemptLogin({ ...account, password: WRONG }, source, deps));
      expect(await outcome(attemptLogin(account, source, deps)), "the 5th attempt, right password").to.equal("200");
      expect(await outcome(attemptLogin(account, source, deps))).to.equal("200");
    });

    it("parallel: of 20 concurrent wrong guesses at most N get 401 and reach argon2id, the rest 429; then the right password is 429 too", async () => {
      const { deps, hasher } = setup();
      const account = await newAccount(deps);
      const source = newIp();
      const verifiesBefore = hasher.verifies;
      const seen = await Promise.all(Array.from({ length: 20 }, () => outcome(attemptLogin({ ...account, password: WRONG }, source, deps))));
      const unauthorized = seen.filter((o) => o === "401").length;
      expect(unauthorized, seen.join(", ")).to.equal(5);
      expect(seen.filter((o) => o.startsWith("429")).length).to.equal(20 - unauthorized);
      expect(hasher.verifies - verifiesBefore, "argon2id verifies").to.equal(unauthorized);
      expect(await outcome(attemptLogin(account, source, deps))).to.match(/^429 \d+$/);
    });

    it("an unknown email behaves exactly like a known one: same statuses and Retry-After sequence, same argon2id work", async () => {
      const { deps, clock, hasher } = setup();
      const known = { ...(await newAccount(deps)), password: WRONG };
      const unknown = { tenant: "default", email: `never-registered-${n}@example.com`, password: WRONG };
      const source = newIp();
      const run = async (credentials: typeof known) => {
        const start = clock();
        const before = hasher.verifies;
        const seen: Outcome[] = [];
        for (const wait of [0, 0, 0, 0, 0, 0, 10_000, 20_000, 0, 59_000, 1_000, 0]) {
          clock.advance(wait);
          seen.push(await outcome(attemptLogin(credentials, source, deps)));
        }
        clock.advance(start - clock());
        return { seen, verifies: hasher.verifies - before };
      };
      const a = await run(known);
      const b = await run(unknown);
      expect(a.seen).to.deep.equal(["401", "401", "401", "401", "401", "429 30", "429 20", "401", "429 60", "429 1", "401", "429 120"]);
      expect(b).to.deep.equal(a);
      const stored = await table.counters.getLoginCounter(unknown.tenant, unknown.email);
      expect(stored, "a counter item exists for the unknown email").to.include({ failures: 7 });
    });

    it(`never allows more than ${MAX_CONSECUTIVE_FAILURES} consecutive failures: then nothing, not even the right password, until the counter expires`, async () => {
      // Real argon2id at its cheapest parameters: this test makes over a hundred attempts.
      const { deps, clock } = setup({ lockoutMaxFailures: 20, lockoutBaseSeconds: 1, lockoutMaxSeconds: 1 }, manualClock(), { memoryCost: 1024, timeCost: 1, parallelism: 1 });
      const account = await newAccount(deps);
      const source = newIp();
      let unauthorized = 0;
      for (let i = 0; i < 120; i++) {
        if ((await outcome(attemptLogin({ ...account, password: WRONG }, source, deps))) === "401") unauthorized++;
        clock.advance(1_000);
      }
      expect(unauthorized).to.equal(MAX_CONSECUTIVE_FAILURES);
      const locked = await outcome(attemptLogin(account, source, deps));
      const retryAfter = Number(locked.split(" ")[1]);
      expect(locked).to.match(/^429 /);
      expect(retryAfter).to.be.within(CEILING_TTL_SECONDS - 25, CEILING_TTL_SECONDS);
      clock.advance((retryAfter - 1) * 1000);
      expect(await outcome(attemptLogin(account, source, deps))).to.equal("429 1");
      clock.advance(1_000);
      expect(await outcome(attemptLogin(account, source, deps))).to.equal("200");
    });

    it("bounds the compare-and-set retries: a counter that always changes under it answers 429 Retry-After 1", async () => {
      const { deps } = setup();
      let writes = 0;
      const contended: CounterStore = {
        ...table.counters,
        putLoginCounter: async () => {
          writes++;
          return false;
        },
      };
      const account = await newAccount(deps);
      expect(await outcome(attemptLogin(account, newIp(), { ...deps, counters: contended }))).to.equal("429 1");
      expect(writes).to.equal(8);
    });

    it("logs a failed login (info) and a lock (warn) with the source address and a keyed account reference, never the email or password", async () => {
      const { deps, logger } = setup();
      const account = await newAccount(deps);
      const source = newIp();
      for (let i = 0; i < 5; i++) await outcome(attemptLogin({ ...account, password: WRONG }, source, deps));
      const lines = logger.lines.map((line) => JSON.parse(line));
      const ref = await deps.accountRef(account.tenant, account.email);
      expect(lines.filter((l) => l.message === "login failed")).to.have.length(4);
      for (const l of lines.filter((l) => l.message === "login failed")) expect(l).to.include({ level: "info", sourceIp: source, account: ref });
      const locked = lines.filter((l) => l.message === "account locked");
      expect(locked).to.have.length(1);
      expect(locked[0]).to.include({ level: "warn", sourceIp: source, account: ref, failures: 5, lockedSeconds: 30 });
      const text = logger.lines.join("\n");
      for (const secret of [account.email, account.email.split("@")[0], WRONG, PASSWORD]) expect(text).not.to.include(secret);
      expect(ref).to.match(/^[A-Za-z0-9_-]{22}$/);
      expect(await accountRefUnder(localMacKey(randomBytes(32)))(account.tenant, account.email), "keyed: another key, another reference").not.to.equal(ref);
    });
  });

  describe("per source address", () => {
    it("refuses an address after its failed logins in the window, with Retry-After to the window end; another address is unaffected; the next window resets", async () => {
      const { deps, clock } = setup({ sourceFailedLoginsPerWindow: 3, sourceWindowSeconds: 300 });
      const attacker = newIp();
      const bystander = newIp();
      const guess = () => ({ tenant: "default", email: `stuffing${++n}@example.com`, password: WRONG });
      clock.advance(100_000);
      const seen: Outcome[] = [];
      for (let i = 0; i < 3; i++) seen.push(await outcome(attemptLogin(guess(), attacker, deps)));
      clock.advance(50_500);
      seen.push(await outcome(attemptLogin(guess(), attacker, deps)));
      expect(seen).to.deep.equal(["401", "401", "401", "429 150"]);
      const account = await newAccount(deps);
      expect(await outcome(attemptLogin(account, attacker, deps)), "even a right password from that address").to.equal("429 150");
      expect(await outcome(attemptLogin(guess(), bystander, deps))).to.equal("401");
      expect(await outcome(attemptLogin(account, bystander, deps))).to.equal("200");
      clock.advance(149_500);
      expect(await outcome(attemptLogin(account, attacker, deps)), "next window").to.equal("200");
    });

    it("does not count successful logins", async () => {
      const { deps } = setup({ sourceFailedLoginsPerWindow: 2 });
      const account = await newAccount(deps);
      const source = newIp();
      for (let i = 0; i < 5; i++) expect(await outcome(attemptLogin(account, source, deps))).to.equal("200");
    });

    it("counts failed refreshes, not successful ones", async () => {
      const { deps } = setup({ sourceFailedLoginsPerWindow: 2 });
      const sessionDeps = { ...deps, signer: p256().signer, refreshKey: localMacKey(randomBytes(32)), config: testConfig() };
      const user = await register({ tenant: "default", email: `refresh${++n}@example.com`, password: PASSWORD }, deps);
      let tokens = await startSession(user, sessionDeps);
      const source = newIp();
      for (let i = 0; i < 4; i++) tokens = await limitFailures(source, deps, () => refreshSession(tokens.refreshToken, sessionDeps));
      const bad = () => outcome(limitFailures(source, deps, () => refreshSession("forged.token", sessionDeps)));
      expect([await bad(), await bad(), await bad()]).to.deep.equal(["401", "401", "429 300"]);
      expect(await outcome(limitFailures(source, deps, () => refreshSession(tokens.refreshToken, sessionDeps)))).to.equal("429 300");
    });

    it("counts registrations up front: over the limit 429 until the window ends; another address unaffected", async () => {
      const { deps, clock, logger } = setup({ sourceSignupsPerWindow: 2, sourceWindowSeconds: 60 });
      const source = newIp();
      const seen: Outcome[] = [];
      for (let i = 0; i < 4; i++) seen.push(await outcome(admitSignup(source, deps)));
      expect(seen).to.deep.equal(["200", "200", "429 60", "429 60"]);
      expect(await outcome(admitSignup(newIp(), deps))).to.equal("200");
      expect(logger.lines.filter((l) => l.includes("source limit reached"))).to.have.length(1);
      clock.advance(60_000);
      expect(await outcome(admitSignup(source, deps))).to.equal("200");
    });

    it("windows are fixed and aligned; the counter item expires at the window end", () => {
      const start = Date.UTC(2026, 0, 1) / 1000;
      expect(sourceWindow("192.0.2.1", "signup", (start + 299) * 1000, 300)).to.deep.equal({ source: "192.0.2.1", kind: "signup", start, end: start + 300 });
      expect(sourceWindow("192.0.2.1", "signup", (start + 300) * 1000, 300).start).to.equal(start + 300);
    });

    it("counts IPv6 per /64 and IPv4-mapped addresses as IPv4", () => {
      expect(sourceBucket("203.0.113.9")).to.equal("203.0.113.9");
      expect(sourceBucket("::ffff:203.0.113.9")).to.equal("203.0.113.9");
      expect(sourceBucket("2001:db8:1:2:3:4:5:6")).to.equal("2001:db8:1:2::/64");
      expect(sourceBucket("2001:db8:1:2:ffff::1")).to.equal("2001:db8:1:2::/64");
      expect(sourceBucket("2001:DB8:0001:0002::")).to.equal("2001:db8:1:2::/64");
      expect(sourceBucket("2001:db8::1")).to.equal("2001:db8:0:0::/64");
      expect(sourceBucket("::1")).to.equal("0:0:0:0::/64");
      expect(sourceBucket("fe80::1%eth0")).to.equal("fe80:0:0:0::/64");
      expect(sourceBucket("not an address")).to.equal("not an address");
    });
  });

  describe("counters when the table cannot be reached", () => {
    // Port 9 (discard) on loopback: nothing listens, so every call fails to connect.
    const client = localDynamoClient("http://127.0.0.1:9", { maxAttempts: 1 });
    const counters = dynamoCounters(client, "users");
    after(() => client.destroy());
    const window = sourceWindow("192.0.2.1", "signup", Date.UTC(2026, 0, 1), 300);
    const operations: Array<[string, () => Promise<unknown>]> = [
      ["getLoginCounter", () => counters.getLoginCounter("default", "a@example.com")],
      ["putLoginCounter", () => counters.putLoginCounter("default", "a@example.com", undefined, { failures: 1, lockedUntil: 0, expiresAt: 1 })],
      ["deleteLoginCounter", () => counters.deleteLoginCounter("default", "a@example.com")],
      ["getSourceCount", () => counters.getSourceCount(window)],
      ["addSourceCount", () => counters.addSourceCount(window)],
    ];
    for (const [name, operation] of operations) {
      it(`${name} fails as temporarily_unavailable`, async () => {
        const error = await operation().then(() => undefined, (e) => e);
        expect(error).to.be.instanceOf(TemporarilyUnavailableError);
        expect(error.cause).to.be.instanceOf(Error);
      });
    }
  });
});
