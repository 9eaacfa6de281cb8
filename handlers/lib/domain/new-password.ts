import type { Config } from "./config.js";
import { length, readCredentials, readPassword, type Credentials } from "./credentials.js";
import { InvalidRequestError } from "./errors.js";
import { isCommonPassword } from "./password-blocklist.js";

/**
 * Reads credentials whose password is new (register; reset and change later): the shape
 * checks of `readCredentials`, then the policy. Its own module, so only the functions that
 * set passwords carry the blocklist.
 */
export function readNewCredentials(body: Record<string, unknown>, config: Config): Credentials {
  const credentials = readCredentials(body, config);
  assertNewPassword(credentials.password, credentials.email, config);
  return credentials;
}

/**
 * Reads `{current_password, new_password}` for the signed-in `email`: the current one as
 * login reads it, the new one under the policy.
 */
export function readPasswordChange(body: Record<string, unknown>, email: string, config: Config): { current: string; next: string } {
  const current = readPassword(body, "current_password");
  const next = readPassword(body, "new_password");
  assertNewPassword(next, email, config);
  return { current, next };
}

/**
 * The policy for every new password (register now; reset and change later), applied to
 * the normalised password. Never applied at login, so a policy change locks nobody out.
 * Controls are refused as RFC 8265's OpaqueString does; common breached passwords as
 * NIST SP 800-63B §5.1.1.2 requires.
 */
export function assertNewPassword(password: string, email: string, config: Config): void {
  assertPasswordPolicy(password, config);
  assertNotEmail(password, email);
}

/** The policy's rules that need no email: a reset learns the email only when it consumes its token. */
export function assertPasswordPolicy(password: string, config: Config): void {
  if (length(password) < config.passwordMinLength) {
    throw new InvalidRequestError(`password must be at least ${config.passwordMinLength} characters`);
  }
  if (/\p{Cc}/u.test(password)) throw new InvalidRequestError("password must not contain control characters");
  if (isCommonPassword(password)) {
    throw new InvalidRequestError("password is one of the most common breached passwords; choose one that is harder to guess");
  }
}

export function assertNotEmail(password: string, email: string): void {
  if (password.toLowerCase() === email) throw new InvalidRequestError("password must not be the email address");
}
