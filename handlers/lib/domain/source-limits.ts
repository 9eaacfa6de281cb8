import { isIP } from "node:net";
import type { Deps } from "./deps.js";
import type { SourceKind, SourceWindow } from "./counters.js";
import { InvalidGrantError, TooManyAttemptsError } from "./errors.js";
import { retryAfterSeconds } from "./lockout.js";

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

/** The fixed window that `now` (epoch ms) falls in. */
export function sourceWindow(address: string, kind: SourceKind, now: number, windowSeconds: number): SourceWindow {
  const start = Math.floor(now / 1000 / windowSeconds) * windowSeconds;
  return { source: sourceBucket(address), kind, start, end: start + windowSeconds };
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

/** Counts an unauthenticated creation (registration) up front; refuses it over the limit. */
export async function admitSignup(address: string, deps: LimitDeps): Promise<void> {
  const now = deps.clock();
  const window = sourceWindow(address, "signup", now, deps.limits.sourceWindowSeconds);
  const count = await deps.counters.addSourceCount(window);
  const limit = deps.limits.sourceSignupsPerWindow;
  if (count <= limit) return;
  if (count === limit + 1) deps.logger.warn("source limit reached", { sourceIp: address, kind: window.kind, count: limit });
  throw refused(window, now);
}
