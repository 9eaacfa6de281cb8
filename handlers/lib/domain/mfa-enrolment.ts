import type { Subject } from "./access-token.js";
import { sendQuietly } from "./account-mail.js";
import { confirmPassword } from "./account-changes.js";
import type { Deps } from "./deps.js";
import { mfaChangedMessage } from "./emails.js";
import { InvalidGrantError, MfaAlreadyEnabledError, MfaNotEnabledError, MfaNotPendingError } from "./errors.js";
import { requireLiveSession } from "./live-sessions.js";
import { attemptSecondFactor } from "./login-attempt.js";
import { totpContext, useTotpCode, userKey, WRONG_CODE, type Reauthentication } from "./mfa-proofs.js";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes.js";
import { limitFailures } from "./source-limits.js";
import type { UserRecord } from "./store.js";
import { base32Of, matchingStep, newTotpSecret, totpUri } from "./totp.js";

/**
 * Enrolment and management of the TOTP second factor, on strict routes (the session must
 * be live). The secret is sealed (secret-box.ts) before it reaches the table; recovery codes
 * are stored as hashes and shown once.
 */
type LiveDeps = Pick<Deps, "store" | "clock">;
type EnrolDeps = LiveDeps & Pick<Deps, "secretBox" | "mfa" | "mfaSettings">;
type ConfirmDeps = LiveDeps & Pick<Deps, "secretBox" | "mfa" | "mailer" | "mailSettings" | "logger">;
type ManageDeps = LiveDeps & Pick<Deps, "secretBox" | "mfa" | "hasher" | "counters" | "limits" | "logger" | "accountRef">;
type DisableDeps = ManageDeps & Pick<Deps, "mailer" | "mailSettings">;

const ALREADY_ENABLED = "two-step sign-in is already on; turn it off first to enrol another authenticator";
const NOT_ENABLED = "two-step sign-in is not on for this account";
const NOT_PENDING = "no enrolment is waiting for confirmation; start one with POST /auth/mfa/totp";

/**
 * Starts an enrolment: a new random secret, sealed and stored as pending (replacing a
 * pending one, so only the latest QR code can be confirmed), returned once in base32 and as
 * an `otpauth://` URI. MFA stays off until a code confirms it.
 */
export async function enrolTotp(subject: Subject, deps: EnrolDeps): Promise<{ secret: string; otpauthUri: string }> {
  const { user } = await requireLiveSession(subject, deps);
  if (user.mfa?.secret) throw new MfaAlreadyEnabledError(ALREADY_ENABLED);
  const secret = newTotpSecret();
  const sealed = await deps.secretBox.seal(secret, totpContext(user.userId));
  // Fails only if MFA was switched on in between (a gone account failed the session check).
  if (!(await deps.mfa.setPendingTotp(userKey(user), sealed))) throw new MfaAlreadyEnabledError(ALREADY_ENABLED);
  return { secret: base32Of(secret), otpauthUri: totpUri(secret, deps.mfaSettings.issuer, user.email) };
}

/**
 * Confirms the pending enrolment with a code from the app: MFA turns on, the code's step
 * counts as used, and ten recovery codes are made, returned this once. A wrong code is
 * `invalid_grant` and not counted toward the lockout: the caller already holds this secret.
 */
export async function confirmTotp(subject: Subject, code: string, deps: ConfirmDeps): Promise<string[]> {
  const { user } = await requireLiveSession(subject, deps);
  if (user.mfa?.secret) throw new MfaAlreadyEnabledError(ALREADY_ENABLED);
  const pending = user.mfa?.pending;
  if (!pending) throw new MfaNotPendingError(NOT_PENDING);
  const step = matchingStep(await deps.secretBox.open(pending, totpContext(user.userId)), code, deps.clock());
  if (step === undefined) throw new InvalidGrantError(WRONG_CODE);
  const codes = newRecoveryCodes();
  const hashes = codes.map((recovery) => hashRecoveryCode(user.userId, recovery));
  if (!(await deps.mfa.activateTotp(userKey(user), pending, step, hashes))) throw new MfaNotPendingError(NOT_PENDING);
  await notify(user, true, deps);
  return codes;
}

/** Turns MFA off after a current code or the password; the owner is mailed. */
export async function disableTotp(subject: Subject, proof: Reauthentication, sourceIp: string, deps: DisableDeps): Promise<void> {
  const user = await requireMfaUser(subject, deps);
  await reauthenticate(subject, user, proof, sourceIp, deps);
  if (!(await deps.mfa.disableTotp(userKey(user)))) throw new MfaNotEnabledError(NOT_ENABLED);
  await notify(user, false, deps);
}

/** Replaces the recovery codes after a current code or the password: the old ones stop working. */
export async function regenerateRecoveryCodes(subject: Subject, proof: Reauthentication, sourceIp: string, deps: ManageDeps): Promise<string[]> {
  const user = await requireMfaUser(subject, deps);
  await reauthenticate(subject, user, proof, sourceIp, deps);
  const codes = newRecoveryCodes();
  if (!(await deps.mfa.replaceRecoveryCodes(userKey(user), codes.map((recovery) => hashRecoveryCode(user.userId, recovery))))) {
    throw new MfaNotEnabledError(NOT_ENABLED);
  }
  return codes;
}

async function requireMfaUser(subject: Subject, deps: LiveDeps): Promise<UserRecord> {
  const { user } = await requireLiveSession(subject, deps);
  if (!user.mfa?.secret) throw new MfaNotEnabledError(NOT_ENABLED);
  return user;
}

/**
 * A password counts toward the lockout as change-password's does; a code likewise, under the
 * same counter and the address's failure window (a stolen access token must not become an
 * unlimited code oracle either), and a right one clears the counter.
 */
async function reauthenticate(subject: Subject, user: UserRecord, proof: Reauthentication, sourceIp: string, deps: ManageDeps): Promise<void> {
  if ("password" in proof) return confirmPassword(subject, proof.password, sourceIp, deps);
  await limitFailures(sourceIp, deps, () => attemptSecondFactor(user, sourceIp, deps, () => useTotpCode(user, proof.code, deps)));
}

async function notify(user: UserRecord, enabled: boolean, deps: Pick<Deps, "mailer" | "mailSettings" | "logger">): Promise<void> {
  await sendQuietly(enabled ? "mfa-enabled" : "mfa-disabled", user.userId, deps, () =>
    deps.mailer.send(mfaChangedMessage(user.email, deps.mailSettings.appUrl, enabled)),
  );
}
