import { randomBytes } from "node:crypto";
import { InvalidRequestError } from "./errors.js";
import { digestOf } from "./token-secrets.js";

/**
 * Recovery codes: NIST SP 800-63B §5.1.2 look-up secrets, ten per enrolment, each usable
 * once. They are one-time passwords, so a sign-in with one carries `otp` in `amr`
 * (RFC 8176 §2). Each is 16 Crockford base32 characters (80 random bits, above §5.1.2.1's
 * 64), shown as `xxxx-xxxx-xxxx-xxxx`. Only a SHA-256 of each is stored: a fast hash
 * suffices for a high-entropy random secret, as for the email tokens.
 */
export const RECOVERY_CODE_COUNT = 10;
const CHARACTERS = 16;
/** Crockford's base32: no I, L, O or U, so nothing reads as another character. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LABEL = "recovery-code/v1";

/** Ten fresh codes, as shown to the user (lower case, in groups of four). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    // 16 bytes, 5 bits of each: every character uniform over the 32.
    const chars = [...randomBytes(CHARACTERS)].map((byte) => ALPHABET[byte & 31]).join("").toLowerCase();
    return chars.match(/.{4}/g)!.join("-");
  });
}

/**
 * A code as typed, in its canonical form: case, hyphens and spaces ignored, and Crockford's
 * look-alikes read as digits (I and L as 1, O as 0).
 */
export function readRecoveryCode(raw: string, field = "recovery_code"): string {
  const code = raw
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  if (code.length !== CHARACTERS || [...code].some((c) => !ALPHABET.includes(c))) {
    throw new InvalidRequestError(`${field} must be one of the recovery codes, like xxxx-xxxx-xxxx-xxxx`);
  }
  return code;
}

/** What the user item stores of a code: bound to the user, so a hash copied to another account matches nothing there. */
export const hashRecoveryCode = (userId: string, code: string): string =>
  digestOf(LABEL, userId, readRecoveryCode(code));
