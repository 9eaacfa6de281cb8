import type { Config } from "./config.js";
import { length, readCredentials, readPassword, type Credentials } from "./credentials.js";
import { InvalidRequestError } from "./errors.js";
import { isCommonPassword } from "./password-blocklist.js";

/**
 * Reads credentials whose password is new (register): the shape
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
  assertNewPassword(next, email, config, "new_password");
  return { current, next };
}

/**
 * The policy for every new password (register, change, reset), applied to the normalised
 * password. Never applied at login, so a policy change locks nobody out. Controls are
 * refused as RFC 8265's OpaqueString does; common breached passwords as NIST SP 800-63B
 * §5.1.1.2 requires. `field` names the body field in the error (`new_password` on change and reset).
 */
export function assertNewPassword(password: string, email: string, config: Config, field = "password"): void {
  assertPasswordPolicy(password, config, field);
  assertNotEmail(password, email, field);
}

/** The policy's rules that need no email: a reset learns the email only when it consumes its token. */
export function assertPasswordPolicy(password: string, config: Config, field = "password"): void {
  if (length(password) < config.passwordMinLength) {
    throw new InvalidRequestError(`${field} must be at least ${config.passwordMinLength} characters`);
  }
  if (/\p{Cc}/u.test(password)) throw new InvalidRequestError(`${field} must not contain control characters`);
  if (isCommonPassword(password)) {
    throw new InvalidRequestError(`${field} is one of the most common breached passwords; choose one that is harder to guess`);
  }
}

export function assertNotEmail(password: string, email: string, field = "password"): void {
  if (password.toLowerCase() === email) throw new InvalidRequestError(`${field} must not be the email address`);
}
