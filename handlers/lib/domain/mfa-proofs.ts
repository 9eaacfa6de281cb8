import { readPassword } from "./credentials.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError, InvalidRequestError } from "./errors.js";
import type { UserKey } from "./mfa-store.js";
import { hashRecoveryCode, readRecoveryCode } from "./recovery-codes.js";
import type { SecretContext } from "./secret-box.js";
import type { UserRecord } from "./store.js";
import { matchingStep, readTotpCode } from "./totp.js";

/** A second factor as a request presents it. */
export type SecondFactor = { code: string } | { recoveryCode: string };

/** One text for a wrong, reused or out-of-window code, so an answer tells nothing about which. */
export const WRONG_CODE = "the code is incorrect or was already used";

type ProofDeps = Pick<Deps, "secretBox" | "mfa" | "clock">;

export const totpContext = (userId: string): SecretContext => ({ purpose: "totp-secret", userId });
export const userKey = (user: { tenant: string; email: string; userId: string }): UserKey => ({ tenant: user.tenant, email: user.email, userId: user.userId });

/**
 * Checks a TOTP code against the user's active secret, within ±1 step, and uses up its step
 * in one conditional write that needs every earlier use to be of a lower step: a code (or an
 * earlier one) never works twice, also when two requests bring it at once (RFC 6238 §5.2).
 */
export async function useTotpCode(user: UserRecord, code: string, deps: ProofDeps): Promise<void> {
  const sealed = user.mfa?.secret;
  if (!sealed) throw new InvalidGrantError(WRONG_CODE);
  const secret = await deps.secretBox.open(sealed, totpContext(user.userId));
  const step = matchingStep(secret, code, deps.clock());
  if (step === undefined || step <= (user.mfa?.lastStep ?? Number.NEGATIVE_INFINITY)) throw new InvalidGrantError(WRONG_CODE);
  if (!(await deps.mfa.useTotpStep(userKey(user), sealed, step))) throw new InvalidGrantError(WRONG_CODE);
}

/** Uses up one recovery code (NIST SP 800-63B §5.1.2): one conditional removal from the user's set. */
export async function useRecoveryCode(user: UserRecord, code: string, deps: Pick<Deps, "mfa">): Promise<void> {
  if (!(await deps.mfa.useRecoveryCode(userKey(user), hashRecoveryCode(user.userId, code)))) throw new InvalidGrantError(WRONG_CODE);
}

export const useSecondFactor = (user: UserRecord, factor: SecondFactor, deps: ProofDeps): Promise<void> =>
  "code" in factor ? useTotpCode(user, factor.code, deps) : useRecoveryCode(user, factor.recoveryCode, deps);

/** Reads exactly one of `code` (TOTP) or `recovery_code` from a body. */
export function readSecondFactor(body: Record<string, unknown>): SecondFactor {
  const code = optionalString(body, "code");
  const recovery = optionalString(body, "recovery_code");
  if ((code === undefined) === (recovery === undefined)) throw new InvalidRequestError("send exactly one of code or recovery_code");
  return code !== undefined ? { code: readTotpCode(code) } : { recoveryCode: readRecoveryCode(recovery!) };
}

/** What re-authenticates a management request: a current TOTP code, or the password. */
export type Reauthentication = { code: string } | { password: string };

/** Reads exactly one of `code` or `password`. */
export function readReauthentication(body: Record<string, unknown>): Reauthentication {
  const code = optionalString(body, "code");
  const hasPassword = body.password !== undefined && body.password !== null;
  if ((code === undefined) === !hasPassword) throw new InvalidRequestError("send exactly one of code or password");
  return code !== undefined ? { code: readTotpCode(code) } : { password: readPassword(body, "password") };
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new InvalidRequestError(`${name} must be a string`);
  return value;
}
