import { sendQuietly, type AccountMailDeps } from "./account-mail.js";
import type { Deps } from "./deps.js";
import { passwordChangedMessage } from "./emails.js";
import { consumeEmailToken, INVALID_EMAIL_TOKEN, revokeEmailTokens } from "./email-tokens.js";
import { InvalidGrantError } from "./errors.js";
import { assertNotEmail, assertPasswordPolicy } from "./new-password.js";

type ResetDeps = AccountMailDeps & Pick<Deps, "store" | "counters" | "hasher">;

/**
 * Replaces the password of the reset token's account. In one write: the new hash, the email
 * marked verified (the link proved the address), and the session version bumped, so every
 * session ends (at its next refresh, and at once on strict routes). Then the lockout counter
 * goes (a reset is how a locked-out owner gets back in, NIST SP 800-63B §5.2.2) and so does a
 * pending verification link. The owner is told by mail (OWASP ASVS 2.5.5).
 *
 * The new password is checked before the token is consumed, so a refused one costs no link;
 * the one rule that needs the account's email puts the token back when it refuses.
 */
export async function resetPassword(token: string, newPassword: string, deps: ResetDeps): Promise<void> {
  assertPasswordPolicy(newPassword, deps.config, "new_password");
  const subject = await consumeEmailToken("reset-password", token, deps, { check: (s) => assertNotEmail(newPassword, s.email, "new_password") });
  // Hashed only after the token is consumed: a bad token costs no argon2id work.
  const hash = await deps.hasher.hash(newPassword);
  const version = await deps.store.changePassword(subject.tenant, subject.email, subject.userId, hash, { verifyEmail: true });
  // The account was deleted (or deleted and registered again) after the link was sent.
  if (version === undefined) throw new InvalidGrantError(INVALID_EMAIL_TOKEN);
  await Promise.all([deps.counters.deleteLoginCounter(subject.tenant, subject.email), revokeEmailTokens(subject.userId, deps, ["verify-email"])]);
  deps.logger.info("password reset", { userId: subject.userId });
  await sendQuietly("password-changed", subject.userId, deps, () =>
    deps.mailer.send(passwordChangedMessage(subject.email, deps.mailSettings.appUrl)),
  );
}
