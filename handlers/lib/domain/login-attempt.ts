import { authenticate } from "./accounts.js";
import type { Account, Credentials } from "./credentials.js";
import type { LoginCounter } from "./counters.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError, TooManyAttemptsError } from "./errors.js";
import { countAttempt, liveCounter, lockedForMs, retryAfterSeconds } from "./lockout.js";
import { limitFailures } from "./source-limits.js";
import type { UserRecord } from "./store.js";

type LoginDeps = Pick<Deps, "store" | "hasher" | "counters" | "limits" | "clock" | "logger" | "accountRef">;
/** What counting an attempt needs. */
type CountDeps = Pick<Deps, "counters" | "limits" | "clock" | "logger" | "accountRef">;

/** What a right answer does to the account's counter: clear it, or take back only its own count. */
type Success = "reset" | "uncount";

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
 * except for an account with a second factor: there a right password takes back only its own
 * count and leaves earlier failures standing, and only a completed second factor clears them
 * (attemptSecondFactor). Whoever holds the password thus gets no more code guesses by signing
 * in again, and the owner's successful sign-in costs nothing against the limit.
 * `next` (e.g. opening the session) runs beside the counter's write rather than after it.
 */
export function attemptLogin(credentials: Credentials, sourceIp: string, deps: LoginDeps): Promise<UserRecord>;
export function attemptLogin<R>(credentials: Credentials, sourceIp: string, deps: LoginDeps, next: (user: UserRecord) => Promise<R>): Promise<R>;
export function attemptLogin<R>(
  credentials: Credentials,
  sourceIp: string,
  deps: LoginDeps,
  next: (user: UserRecord) => Promise<R | UserRecord> = async (user) => user,
): Promise<R | UserRecord> {
  return passwordAttempt(credentials, sourceIp, deps, (user) => (user.mfa?.secret ? "uncount" : "reset"), next);
}

/**
 * A password re-entered on a live session (password change, account deletion, MFA
 * management): counted as a login is, and a right one clears the counter whatever factors the
 * account has, since the session already passed them.
 */
export function reauthenticate(credentials: Credentials, sourceIp: string, deps: LoginDeps): Promise<UserRecord> {
  return passwordAttempt(credentials, sourceIp, deps, () => "reset", async (user) => user);
}

async function passwordAttempt<R>(
  credentials: Credentials,
  sourceIp: string,
  deps: LoginDeps,
  onSuccess: (user: UserRecord) => Success,
  next: (user: UserRecord) => Promise<R>,
): Promise<R> {
  // The address's window, the account's counter and the user are independent reads: all three
  // start now, each still checked in its turn (nothing is written before the checks pass).
  const counter = deps.counters.getLoginCounter(credentials.tenant, credentials.email);
  const user = deps.store.getUser(credentials.tenant, credentials.email);
  counter.catch(() => undefined); // awaited by reserveAttempt, unless a check refuses first
  user.catch(() => undefined); // awaited by authenticate, likewise
  return limitFailures(sourceIp, deps, () =>
    countedAttempt(credentials, sourceIp, deps, "login failed", () => authenticate(credentials, deps, user), onSuccess, next, counter),
  );
}

/**
 * A second-factor check (a TOTP or recovery code) under the same per-account counter as
 * passwords: counted before `check` runs, a locked account refused with 429 without it, a
 * failure (`InvalidGrantError`) logged, a success resetting the counter. The caller applies
 * the per-source limit (limitFailures) around whatever else it checks.
 */
export async function attemptSecondFactor<T>(account: Account, sourceIp: string, deps: CountDeps, check: () => Promise<T>): Promise<T> {
  return countedAttempt(account, sourceIp, deps, "second factor failed", check, () => "reset", async (result) => result);
}

async function countedAttempt<T, R>(
  account: Account,
  sourceIp: string,
  deps: CountDeps,
  failure: string,
  check: () => Promise<T>,
  onSuccess: (result: T) => Success,
  next: (result: T) => Promise<R>,
  counterRead?: Promise<LoginCounter | undefined>,
): Promise<R> {
  const { counted, previous } = await reserveAttempt(account, deps, counterRead);
  let result: T;
  try {
    result = await check();
  } catch (error) {
    if (error instanceof InvalidGrantError) await logFailure(account, sourceIp, counted, failure, deps);
    throw error;
  }
  // Both settle before the answer, whichever fails: nothing is left in flight when Lambda freezes.
  const settle =
    onSuccess(result) === "reset"
      ? deps.counters.deleteLoginCounter(account.tenant, account.email)
      : // Back to the count before this attempt, unless another attempt was counted since (then it stays).
        deps.counters.putLoginCounter(account.tenant, account.email, counted.failures, previous ?? { failures: 0, lockedUntil: 0, expiresAt: counted.expiresAt });
  const [reset, answer] = await Promise.allSettled([settle, next(result)]);
  if (answer.status === "rejected") throw answer.reason;
  if (reset.status === "rejected") throw reset.reason;
  return answer.value;
}

/** Counts one attempt, or refuses it while the account is locked; `firstRead`: the counter, already being read. */
async function reserveAttempt(
  { tenant, email }: Account,
  deps: CountDeps,
  firstRead?: Promise<LoginCounter | undefined>,
): Promise<{ counted: LoginCounter; previous: LoginCounter | undefined }> {
  for (let tries = 0; tries < MAX_RESERVE_TRIES; tries++) {
    const now = deps.clock();
    const stored = await (tries === 0 && firstRead ? firstRead : deps.counters.getLoginCounter(tenant, email));
    const lockedMs = lockedForMs(stored, now);
    if (lockedMs > 0) throw new TooManyAttemptsError(LOCKED, retryAfterSeconds(lockedMs));
    const next = countAttempt(stored, now, deps.limits);
    if (await deps.counters.putLoginCounter(tenant, email, stored?.failures, next)) return { counted: next, previous: liveCounter(stored, now) };
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
