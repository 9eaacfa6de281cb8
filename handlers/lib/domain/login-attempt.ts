import { authenticate } from "./accounts.js";
import type { Account, Credentials } from "./credentials.js";
import type { LoginCounter } from "./counters.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError, TooManyAttemptsError } from "./errors.js";
import { countAttempt, lockedForMs, retryAfterSeconds } from "./lockout.js";
import { limitFailures } from "./source-limits.js";
import type { UserRecord } from "./store.js";

type LoginDeps = Pick<Deps, "store" | "hasher" | "counters" | "limits" | "clock" | "logger" | "accountRef">;
/** What counting an attempt needs. */
type CountDeps = Pick<Deps, "counters" | "limits" | "clock" | "logger" | "accountRef">;

/** One text for every lock, so it tells nothing about whether the account exists. */
const LOCKED = "too many failed sign-in attempts; try again later";
/** Lost compare-and-set rounds before giving up with Retry-After 1 (each loss means another attempt was counted). */
const MAX_RESERVE_TRIES = 8;

/**
 * Login with brute-force limits. The attempt is counted BEFORE the password is checked,
 * in one conditional write, so concurrent guesses cannot overtake the lock: of 20
 * parallel wrong guesses at most `lockoutMaxFailures` reach argon2id. A locked account
 * answers 429 without any argon2id work, even for the right password. Every (tenant,
 * email) has its counter whether or not the account exists, so unknown emails lock the
 * same way (OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2). A success resets the counter,
 * except for an account with a second factor: there only a completed second factor does
 * (attemptSecondFactor), or whoever holds the password would get unlimited code guesses by
 * signing in again between them.
 */
export async function attemptLogin(credentials: Credentials, sourceIp: string, deps: LoginDeps): Promise<UserRecord> {
  return limitFailures(sourceIp, deps, () =>
    countedAttempt(credentials, sourceIp, deps, "login failed", () => authenticate(credentials, deps), (user) => !user.mfa?.secret),
  );
}

/**
 * A second-factor check (a TOTP or recovery code) under the same per-account counter as
 * passwords: counted before `check` runs, a locked account refused with 429 without it, a
 * failure (`InvalidGrantError`) logged, a success resetting the counter. The caller applies
 * the per-source limit (limitFailures) around whatever else it checks.
 */
export async function attemptSecondFactor<T>(account: Account, sourceIp: string, deps: CountDeps, check: () => Promise<T>): Promise<T> {
  return countedAttempt(account, sourceIp, deps, "second factor failed", check, () => true);
}

async function countedAttempt<T>(
  account: Account,
  sourceIp: string,
  deps: CountDeps,
  failure: string,
  check: () => Promise<T>,
  resets: (result: T) => boolean,
): Promise<T> {
  const counted = await reserveAttempt(account, deps);
  let result: T;
  try {
    result = await check();
  } catch (error) {
    if (error instanceof InvalidGrantError) await logFailure(account, sourceIp, counted, failure, deps);
    throw error;
  }
  if (resets(result)) await deps.counters.deleteLoginCounter(account.tenant, account.email);
  return result;
}

/** Counts one attempt, or refuses it while the account is locked. */
async function reserveAttempt({ tenant, email }: Account, deps: CountDeps): Promise<LoginCounter> {
  for (let tries = 0; tries < MAX_RESERVE_TRIES; tries++) {
    const now = deps.clock();
    const stored = await deps.counters.getLoginCounter(tenant, email);
    const lockedMs = lockedForMs(stored, now);
    if (lockedMs > 0) throw new TooManyAttemptsError(LOCKED, retryAfterSeconds(lockedMs));
    const next = countAttempt(stored, now, deps.limits);
    if (await deps.counters.putLoginCounter(tenant, email, stored?.failures, next)) return next;
  }
  throw new TooManyAttemptsError(LOCKED, 1);
}

/** A failed login at info, one that locks the account at warn; an account reference, never the email. */
async function logFailure({ tenant, email }: Account, sourceIp: string, counted: LoginCounter, message: string, deps: CountDeps): Promise<void> {
  const fields = { sourceIp, account: await deps.accountRef(tenant, email), failures: counted.failures };
  const lockedMs = counted.lockedUntil - deps.clock();
  if (lockedMs > 0) deps.logger.warn("account locked", { ...fields, lockedSeconds: retryAfterSeconds(lockedMs) });
  else deps.logger.info(message, fields);
}
