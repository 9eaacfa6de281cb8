import type { Config } from "./config.js";
import type { Deps } from "./deps.js";
import { consumeEmailToken, INVALID_EMAIL_TOKEN } from "./email-tokens.js";
import { EmailNotVerifiedError, InvalidGrantError } from "./errors.js";
import type { UserRecord } from "./store.js";

/**
 * Marks the email of the token's account verified. The token is consumed first (one
 * conditional delete); the update then applies only while the item still belongs to the
 * token's user, so a link sent to an account deleted and registered again does nothing.
 */
export async function verifyEmail(token: string, deps: Pick<Deps, "emailTokens" | "clock" | "config" | "store">): Promise<void> {
  const subject = await consumeEmailToken("verify-email", token, deps);
  if (!(await deps.store.markEmailVerified(subject.tenant, subject.email, subject.userId))) throw new InvalidGrantError(INVALID_EMAIL_TOKEN);
}

/**
 * Where verification is required, only a verified account signs in. Checked after the
 * password, so the answer tells nothing to someone who does not know it.
 */
export function requireVerifiedEmail(user: UserRecord, config: Pick<Config, "requireEmailVerification">): void {
  if (config.requireEmailVerification && !user.emailVerified) {
    throw new EmailNotVerifiedError("verify your email address first: open the link we sent, or ask for a new one at /auth/verify-email/resend");
  }
}
