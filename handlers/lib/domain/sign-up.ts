import { sendQuietly, sendVerificationEmail, type AccountMailDeps } from "./account-mail.js";
import { register } from "./accounts.js";
import type { Credentials } from "./credentials.js";
import type { Deps } from "./deps.js";
import { signUpAttemptMessage } from "./emails.js";
import { revokeEmailTokens } from "./email-tokens.js";
import { UserExistsError } from "./errors.js";
import { admitMailTo, admitSignup } from "./source-limits.js";
import type { UserRecord } from "./store.js";

type SignUpDeps = AccountMailDeps & Pick<Deps, "store" | "hasher" | "counters" | "limits">;

/**
 * Registers an account and mails its verification link; the new user, or undefined when the
 * email was taken and verification is required.
 *
 * Where verification is required, a taken email is not an error: its owner is mailed instead
 * ("someone tried to sign up"), so the answer is the same for new and taken addresses (OWASP
 * Authentication Cheat Sheet, account enumeration: the same response at registration). Both
 * paths pay the argon2id hash and one conditional write, so their times stay close. The owner's
 * way back in is a password reset, never a new verification link: that would let whoever
 * pre-registered the address, with their own password, have its owner verify it for them.
 * Where it is optional, a taken email is the 409 it always was.
 *
 * Nothing is left half-written: if the verification mail cannot be sent where verification is
 * required, the new account is deleted again (the caller gets 503 and can simply retry);
 * where it is optional, the account stands and the link can be resent later.
 */
export async function signUp(credentials: Credentials, sourceIp: string, deps: SignUpDeps): Promise<UserRecord | undefined> {
  // Counted before the argon2id work it would cost (OWASP ASVS 2.2.1).
  await admitSignup(sourceIp, deps);
  await admitMailTo(credentials, undefined, deps);
  const required = deps.config.requireEmailVerification;
  let user: UserRecord;
  try {
    user = await register(credentials, deps);
  } catch (error) {
    if (!(error instanceof UserExistsError) || !required) throw error;
    await deps.mailer.send(signUpAttemptMessage(credentials.email, deps.mailSettings.appUrl));
    return undefined;
  }
  if (!required) {
    await sendQuietly("verify-email", user.userId, deps, () => sendVerificationEmail(user, deps));
    return user;
  }
  try {
    await sendVerificationEmail(user, deps);
  } catch (error) {
    await Promise.all([deps.store.deleteUser(user.tenant, user.email, user.userId), revokeEmailTokens(user.userId, deps, ["verify-email"])]).catch(
      (cleanup: Error) => deps.logger.error("unverifiable account left behind", { userId: user.userId, error: cleanup.name }),
    );
    throw error;
  }
  return user;
}
