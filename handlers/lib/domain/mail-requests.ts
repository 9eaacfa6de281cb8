import { sendQuietly, sendVerificationEmail, type AccountMailDeps } from "./account-mail.js";
import { noSoonerThan } from "./clock.js";
import type { Account } from "./credentials.js";
import type { Deps } from "./deps.js";
import { resetPasswordMessage } from "./emails.js";
import { issueEmailToken } from "./email-tokens.js";
import { admitMailTo } from "./source-limits.js";

/**
 * The unauthenticated requests for mail: a new verification link, a password-reset link. The
 * caller answers 202 whether or not the account exists, after the same minimum time
 * (`emailRequestMinMs`), and a failed delivery is only logged, so neither the answer nor its
 * timing tells who has an account (OWASP Forgot Password Cheat Sheet: same response and time
 * for every email). Both count toward the per-address and per-recipient limits first.
 */
type MailRequestDeps = AccountMailDeps & Pick<Deps, "store" | "counters" | "limits" | "sleep">;

/** Mails a new verification link if the account exists and is not verified yet (older links stop working). */
export async function resendVerification(account: Account, sourceIp: string, deps: MailRequestDeps): Promise<void> {
  await noSoonerThan(deps.limits.emailRequestMinMs, deps, async () => {
    await admitMailTo(account, sourceIp, deps);
    const user = await deps.store.getUser(account.tenant, account.email);
    if (!user || user.emailVerified) return;
    await sendQuietly("verify-email", user.userId, deps, () => sendVerificationEmail(user, deps));
  });
}

/** Mails a password-reset link if the account exists (an earlier pending link stops working). */
export async function requestPasswordReset(account: Account, sourceIp: string, deps: MailRequestDeps): Promise<void> {
  await noSoonerThan(deps.limits.emailRequestMinMs, deps, async () => {
    await admitMailTo(account, sourceIp, deps);
    const user = await deps.store.getUser(account.tenant, account.email);
    if (!user) return;
    await sendQuietly("reset-password", user.userId, deps, async () => {
      const token = await issueEmailToken("reset-password", user, deps);
      const link = { appUrl: deps.mailSettings.appUrl, token, validForSeconds: deps.config.passwordResetTtlSeconds };
      await deps.mailer.send(resetPasswordMessage(user.email, link));
    });
  });
}
