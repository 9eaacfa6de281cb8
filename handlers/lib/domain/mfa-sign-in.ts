import { toEpochSeconds } from "./clock.js";
import { stringField } from "./credentials.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError } from "./errors.js";
import { attemptSecondFactor } from "./login-attempt.js";
import { readSecondFactor, useSecondFactor, type SecondFactor } from "./mfa-proofs.js";
import { limitFailures } from "./source-limits.js";
import type { UserRecord } from "./store.js";
import { digestOf, isTokenSecret, newTokenSecret } from "./token-secrets.js";

/**
 * The second step of a sign-in. A correct password of an account with MFA gets a challenge,
 * not tokens: an `mfa_token` of 256 random bits (RFC 6749 §10.10), stored only as a SHA-256,
 * bound to the account as the password step found it (user id, tenant, email, session
 * version), living 5 minutes, and used once. `POST /auth/mfa/verify` trades it and a code
 * for the session.
 */
export const MFA_TOKEN_TTL_SECONDS = 300;
/** How a sign-in was authenticated (RFC 8176 §2): a password, then a one-time password (a TOTP or recovery code). */
export const AMR_PASSWORD = ["pwd"] as const;
export const AMR_PASSWORD_AND_OTP = ["pwd", "otp"] as const;

const TAG = "mfa1";
const LABEL = "mfa-token/v1";
/** Malformed, unknown, expired, used, or voided by a password change or deletion: one answer. */
export const INVALID_CHALLENGE = "the sign-in challenge is invalid, expired or already used; sign in again";

export interface MfaChallenge {
  mfaToken: string;
  expiresIn: number;
}

type VerifyDeps = Pick<Deps, "store" | "mfa" | "secretBox" | "clock" | "counters" | "limits" | "logger" | "accountRef">;

/** Issues the challenge for a user who just proved their password. One PutItem. */
export async function startMfaChallenge(user: UserRecord, deps: Pick<Deps, "mfa" | "clock">): Promise<MfaChallenge> {
  const secret = newTokenSecret();
  const now = deps.clock();
  await deps.mfa.putChallenge({
    tokenHash: hashSecret(secret),
    userId: user.userId,
    tenant: user.tenant,
    email: user.email,
    sessionVersion: user.sessionVersion,
    createdAt: new Date(now).toISOString(),
    expiresAt: toEpochSeconds(now) + MFA_TOKEN_TTL_SECONDS,
  });
  return { mfaToken: `${TAG}.${secret}`, expiresIn: MFA_TOKEN_TTL_SECONDS };
}

/** Reads `{mfa_token, code | recovery_code}`. */
export function readMfaVerification(body: Record<string, unknown>): { mfaToken: string; factor: SecondFactor } {
  return { mfaToken: stringField(body, "mfa_token"), factor: readSecondFactor(body) };
}

/**
 * Completes a sign-in: the challenge must be live and the account unchanged since the password
 * step; the code then counts toward the account's lockout exactly as a password does
 * (counted before it is checked, 429 while locked, the counter cleared only by this success),
 * and every refusal toward the address's failure window. The challenge is consumed (one
 * conditional delete) only once the code was right, so a typo can be corrected within its
 * lifetime; of concurrent completions exactly one gets the session.
 */
export async function completeMfaSignIn(
  request: { mfaToken: string; factor: SecondFactor },
  sourceIp: string,
  deps: VerifyDeps,
): Promise<UserRecord> {
  return limitFailures(sourceIp, deps, async () => {
    const tokenHash = parseToken(request.mfaToken);
    const challenge = tokenHash === undefined ? undefined : await deps.mfa.getChallenge(tokenHash);
    if (!challenge || challenge.expiresAt <= toEpochSeconds(deps.clock())) throw new InvalidGrantError(INVALID_CHALLENGE);
    const user = await deps.store.getUser(challenge.tenant, challenge.email);
    const unchanged = user && user.userId === challenge.userId && user.sessionVersion === challenge.sessionVersion && user.mfa?.secret;
    if (!unchanged) throw new InvalidGrantError(INVALID_CHALLENGE);
    await attemptSecondFactor(user, sourceIp, deps, () => useSecondFactor(user, request.factor, deps));
    if (!(await deps.mfa.takeChallenge(challenge.tokenHash))) throw new InvalidGrantError(INVALID_CHALLENGE);
    return user;
  });
}

function parseToken(token: string): string | undefined {
  const [tag, secret, extra] = token.split(".");
  if (tag !== TAG || extra !== undefined || !isTokenSecret(secret ?? "")) return undefined;
  return hashSecret(secret);
}

const hashSecret = (secret: string): string => digestOf(LABEL, secret);
