import { toEpochSeconds } from "./clock.js";
import type { Deps } from "./deps.js";
import { EMAIL_TOKEN_PURPOSES, type EmailTokenPurpose } from "./email-token-store.js";
import { InvalidGrantError } from "./errors.js";
import { digestOf, isTokenSecret, newTokenSecret } from "./token-secrets.js";

/**
 * Single-use tokens carried by email (verification, password reset), shaped
 * `<purpose-tag>.<userId>.<secret>`: the tag makes the token recognisable (and a token of
 * the other purpose refusable before any I/O), the user id finds the one pending item of
 * (user, purpose), and the secret is 256 random bits (RFC 6749 §10.10: guessing a generated
 * credential must have a chance of at most 2^-128). Only a SHA-256 of the secret is stored: a
 * fast hash suffices because the secret is random, not a password (OWASP Forgot Password
 * Cheat Sheet: store reset tokens hashed, single use, short-lived), so the table never holds
 * a usable token.
 */
export { EMAIL_TOKEN_PURPOSES, type EmailTokenPurpose } from "./email-token-store.js";

const TAG: Readonly<Record<EmailTokenPurpose, string>> = { "verify-email": "ev1", "reset-password": "pr1" };
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Domain separation: this hash means "email token of this purpose and user", nothing else. */
const LABEL = "email-token/v1";

/**
 * Every refusal (malformed, tampered, expired, reused, replaced, revoked, wrong purpose, other
 * tenant) is the same `InvalidGrantError` with this one description, so a client learns
 * nothing about which. Why that class: the token is a one-time grant, and RFC 6749 §5.2 gives
 * `invalid_grant` to a grant that is "invalid, expired, revoked"; this service already answers
 * a bad refresh token so (401, the README's error table), and an emailed link is the same kind of
 * bearer secret. `invalid_request` (400) stays for a body without a `token` string.
 */
export const INVALID_EMAIL_TOKEN = "the token is invalid, expired or already used";

/** What the email-token use cases need. */
export type EmailTokenDeps = Pick<Deps, "emailTokens" | "clock" | "config">;

/** Whom a token was issued for. */
export interface EmailTokenSubject {
  userId: string;
  tenant: string;
  email: string;
}

/**
 * Issues a token for the user, replacing (and so invalidating) any pending one of this
 * purpose: a resend makes the earlier link stop working. One PutItem.
 */
export async function issueEmailToken(purpose: EmailTokenPurpose, subject: EmailTokenSubject, deps: EmailTokenDeps): Promise<string> {
  // Programming error, not a client's: user ids are UUIDs (accounts.ts), and the token's shape relies on it.
  if (!USER_ID.test(subject.userId)) throw new Error("email tokens need a UUID user id");
  const secret = newTokenSecret();
  const now = deps.clock();
  await deps.emailTokens.putEmailToken({
    userId: subject.userId,
    tenant: subject.tenant,
    email: subject.email,
    purpose,
    tokenHash: hashSecret(purpose, subject.userId, secret),
    createdAt: new Date(now).toISOString(),
    expiresAt: toEpochSeconds(now) + lifetimeSeconds(purpose, deps.config),
  });
  return `${TAG[purpose]}.${subject.userId}.${secret}`;
}

/**
 * Consumes a token of `purpose`, returning whom it was issued for; any other token is refused
 * with `InvalidGrantError` (INVALID_EMAIL_TOKEN). One conditional DeleteItem (ALL_OLD) makes it
 * single-use: of concurrent consumptions exactly one succeeds. A token of another purpose, with
 * a tampered secret, or (when `tenant` is given) of another tenant is refused without being
 * consumed, as the delete's condition does not hold; an expired one is refused and deleted by
 * the same call (TTL deletion lags, so the expiry is checked here too).
 *
 * `tenant`: the tenant the request names, if it names one; the token's user id already names
 * one account, so routes that take only `{token}` pass none. The caller must still load the
 * user and check its user id is the subject's: an account deleted and registered again under
 * the same email has a new id, and the old link must not act on it.
 *
 * `check`: a last refusal that needs the subject (a new password must not be its email). If
 * it throws, the token is put back, so the same link works again with a corrected request.
 */
export async function consumeEmailToken(
  purpose: EmailTokenPurpose,
  token: string,
  deps: EmailTokenDeps,
  options: { tenant?: string; check?: (subject: EmailTokenSubject) => void } = {},
): Promise<EmailTokenSubject> {
  const parsed = parseEmailToken(token);
  if (!parsed || parsed.purpose !== purpose) throw new InvalidGrantError(INVALID_EMAIL_TOKEN);
  // The hash is compared by the delete's condition, not by a constant-time compare here (which
  // would need a read first, and a second call per use). What timing could reveal is at most a
  // prefix of SHA-256(secret), and a prefix of a hash does not help anyone find a secret with
  // that hash; the secret itself is never compared.
  const hash = hashSecret(purpose, parsed.userId, parsed.secret);
  const taken = await deps.emailTokens.takeEmailToken(parsed.userId, purpose, hash, options.tenant);
  if (!taken || taken.expiresAt <= toEpochSeconds(deps.clock())) throw new InvalidGrantError(INVALID_EMAIL_TOKEN);
  const subject = { userId: taken.userId, tenant: taken.tenant, email: taken.email };
  try {
    options.check?.(subject);
  } catch (error) {
    await deps.emailTokens.putEmailToken(taken);
    throw error;
  }
  return subject;
}

/**
 * Invalidates the user's pending tokens of the given purposes (all by default): after a
 * password reset, or when the account is deleted. One DeleteItem per purpose, no scan.
 */
export async function revokeEmailTokens(
  userId: string,
  deps: Pick<EmailTokenDeps, "emailTokens">,
  purposes: readonly EmailTokenPurpose[] = EMAIL_TOKEN_PURPOSES,
): Promise<void> {
  for (const purpose of purposes) await deps.emailTokens.deleteEmailToken(userId, purpose);
}

const lifetimeSeconds = (purpose: EmailTokenPurpose, config: EmailTokenDeps["config"]): number =>
  purpose === "verify-email" ? config.emailVerificationTtlSeconds : config.passwordResetTtlSeconds;

/** Undefined for anything not shaped like a token this service issues. */
function parseEmailToken(token: string): { purpose: EmailTokenPurpose; userId: string; secret: string } | undefined {
  if (typeof token !== "string" || token.length > 128) return undefined;
  const [tag, userId, secret, extra] = token.split(".");
  const purpose = EMAIL_TOKEN_PURPOSES.find((p) => TAG[p] === tag);
  if (!purpose || extra !== undefined || !USER_ID.test(userId ?? "") || !isTokenSecret(secret ?? "")) return undefined;
  return { purpose, userId, secret };
}

const hashSecret = (purpose: EmailTokenPurpose, userId: string, secret: string): string =>
  digestOf(LABEL, purpose, userId, secret);
