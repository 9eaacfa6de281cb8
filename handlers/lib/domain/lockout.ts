import { toEpochSeconds } from "./clock.js";
import type { Limits } from "./config.js";
import type { LoginCounter } from "./counters.js";

/**
 * Per-account lockout rules (OWASP ASVS 2.2.1), pure: the caller passes the time. After
 * `lockoutMaxFailures` consecutive failures the account locks for `lockoutBaseSeconds`,
 * doubling with each further failure up to `lockoutMaxSeconds`.
 */
export type LockoutPolicy = Pick<Limits, "lockoutMaxFailures" | "lockoutBaseSeconds" | "lockoutMaxSeconds">;

/** NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account. */
export const MAX_CONSECUTIVE_FAILURES = 100;
/** A quiet day forgets the failures. */
export const COUNTER_TTL_SECONDS = 24 * 60 * 60;
/** Once the ceiling is reached nothing is admitted until the counter expires, 30 days on. */
export const CEILING_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The counter as it stands at `now`: one past its TTL counts as none. */
export const liveCounter = (counter: LoginCounter | undefined, now: number): LoginCounter | undefined =>
  counter && counter.expiresAt * 1000 > now ? counter : undefined;

/** Milliseconds until the account admits an attempt again; 0 when it does now. */
export function lockedForMs(counter: LoginCounter | undefined, now: number): number {
  const live = liveCounter(counter, now);
  if (!live) return 0;
  if (live.failures >= MAX_CONSECUTIVE_FAILURES) return live.expiresAt * 1000 - now;
  return Math.max(0, live.lockedUntil - now);
}

/** The counter once one more attempt is counted at `now` (counted before its password check). */
export function countAttempt(counter: LoginCounter | undefined, now: number, policy: LockoutPolicy): LoginCounter {
  const failures = (liveCounter(counter, now)?.failures ?? 0) + 1;
  if (failures >= MAX_CONSECUTIVE_FAILURES) {
    const expiresAt = toEpochSeconds(now) + CEILING_TTL_SECONDS;
    return { failures, lockedUntil: expiresAt * 1000, expiresAt };
  }
  const beyond = failures - policy.lockoutMaxFailures;
  const lockSeconds = beyond < 0 ? 0 : Math.min(policy.lockoutBaseSeconds * 2 ** beyond, policy.lockoutMaxSeconds);
  const lockedUntil = lockSeconds > 0 ? now + lockSeconds * 1000 : 0;
  // The item must outlive its lock, or an expired item would end the lock early.
  const expiresAt = Math.max(toEpochSeconds(now) + COUNTER_TTL_SECONDS, Math.ceil(lockedUntil / 1000));
  return { failures, lockedUntil, expiresAt };
}

/** `Retry-After` in whole seconds, never 0 (a 0 would invite an immediate retry). */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
