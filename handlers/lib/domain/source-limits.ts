import { isIP } from "node:net";
import type { Deps } from "./deps.js";
import type { SourceKind, SourceWindow } from "./counters.js";
import { InvalidGrantError, TooManyAttemptsError } from "./errors.js";
import { retryAfterSeconds } from "./lockout.js";
import { digestOf } from "./token-secrets.js";

/**
 * Per-source-address limits against credential stuffing and mass sign-up (OWASP ASVS
 * 2.2.1, NIST SP 800-63B §5.2.2): a fixed-window counter per address, kind and window.
 * The address must come from the connection (API Gateway's sourceIp), never a header.
 */
type LimitDeps = Pick<Deps, "counters" | "limits" | "clock" | "logger">;

const REFUSED = "too many requests from this address; try again later";

/**
 * The counter key for an address. IPv6 is counted per /64, the block one subscriber
 * usually holds: per single address, one host could rotate through 2^64 of them.
 */
export function sourceBucket(address: string): string {
  const ip = address.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return address.slice(0, 64);
  const [head, tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(":")}::/64`;
}

/** The fixed window of an address that `now` (epoch ms) falls in. */
export function sourceWindow(address: string, kind: SourceKind, now: number, windowSeconds: number): SourceWindow {
  return fixedWindow(sourceBucket(address), kind, now, windowSeconds);
}

/** The fixed window of a counter key (an address's bucket, an account's) that `now` (epoch ms) falls in. */
function fixedWindow(source: string, kind: SourceKind, now: number, windowSeconds: number): SourceWindow {
  const start = Math.floor(now / 1000 / windowSeconds) * windowSeconds;
  return { source, kind, start, end: start + windowSeconds };
}

const refused = (window: SourceWindow, now: number) => new TooManyAttemptsError(REFUSED, retryAfterSeconds(window.end * 1000 - now));

/**
 * Runs a credential check (login, refresh) unless this address already failed too often
 * in the current window, and counts it when it fails with `invalid_grant`. Successes are
 * not counted: a shared address (an office, a carrier NAT) signs in normally.
 */
export async function limitFailures<T>(address: string, deps: LimitDeps, work: () => Promise<T>): Promise<T> {
  const now = deps.clock();
  const window = sourceWindow(address, "login-failure", now, deps.limits.sourceWindowSeconds);
  const limit = deps.limits.sourceFailedLoginsPerWindow;
  if ((await deps.counters.getSourceCount(window)) >= limit) throw refused(window, now);
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidGrantError) {
      const count = await deps.counters.addSourceCount(window);
      if (count === limit) deps.logger.warn("source limit reached", { sourceIp: address, kind: window.kind, count });
    }
    throw error;
  }
}

/** Counts a registration up front; refuses it over the limit. */
export async function admitSignup(address: string, deps: LimitDeps): Promise<void> {
  await admit(sourceWindow(address, "signup", deps.clock(), deps.limits.sourceWindowSeconds), deps.limits.sourceSignupsPerWindow, deps, { sourceIp: address });
}

/**
 * Counts a request that sends mail to an account (register, verification resend, forgot
 * password) up front, per address and per recipient, whether or not the account exists, so
 * a refusal tells nothing. Without the per-recipient limit anyone could flood an inbox from
 * many addresses (OWASP Forgot Password Cheat Sheet: rate-limit per account). Register's
 * address is already counted by `admitSignup`.
 */
export async function admitMailTo(account: { tenant: string; email: string }, address: string | undefined, deps: LimitDeps): Promise<void> {
  const now = deps.clock();
  const seconds = deps.limits.sourceWindowSeconds;
  if (address !== undefined) await admit(sourceWindow(address, "mail-request", now, seconds), deps.limits.sourceSignupsPerWindow, deps, { sourceIp: address });
  const recipient = fixedWindow(accountBucket(account.tenant, account.email), "account-mail", now, seconds);
  // The account is not named in the log: the source address of the request that hit the limit is.
  await admit(recipient, deps.limits.accountEmailsPerWindow, deps, { sourceIp: address });
}

/** A fixed-length key for an account's mail counter, so no email spreads into more items. */
const accountBucket = (tenant: string, email: string): string => digestOf(tenant, email);

/** Counts one in the window; past `limit`, refuses (and logs the first refusal). */
async function admit(window: SourceWindow, limit: number, deps: LimitDeps, fields: Record<string, unknown>): Promise<void> {
  const now = deps.clock();
  const count = await deps.counters.addSourceCount(window);
  if (count <= limit) return;
  if (count === limit + 1) deps.logger.warn("source limit reached", { ...fields, kind: window.kind, count: limit });
  throw refused(window, now);
}
