import { sendQuietly, sendVerificationEmail, type AccountMailDeps } from "./account-mail.js";
import { noSoonerThan } from "./clock.js";
import type { Account } from "./credentials.js";
import type { Deps } from "./deps.js";
import { resetPasswordMessage } from "./emails.js";
import { issueEmailToken } from "./email-tokens.js";
import { admitMailTo } from "./source-limits.js";
import type { UserRecord } from "./store.js";

/**
 * The unauthenticated requests for mail: a new verification link, a password-reset link. The
 * caller answers 202 whether or not the account exists, after the same minimum time
 * (`emailRequestMinMs`), and a failed delivery is only logged, so neither the answer nor its
 * timing tells who has an account (OWASP Forgot Password Cheat Sheet: same response and time
 * for every email). Both count toward the per-address and per-recipient limits first.
 */
type MailRequestDeps = AccountMailDeps & Pick<Deps, "store" | "counters" | "limits" | "sleep">;

/** Mails a new verification link if the account exists and is not verified yet (older links stop working). */
export function resendVerification(account: Account, sourceIp: string, deps: MailRequestDeps): Promise<void> {
  return mailAccount(account, sourceIp, deps, "verify-email", (user) => (user.emailVerified ? undefined : sendVerificationEmail(user, deps)));
}

/** Mails a password-reset link if the account exists (an earlier pending link stops working). */
export function requestPasswordReset(account: Account, sourceIp: string, deps: MailRequestDeps): Promise<void> {
  return mailAccount(account, sourceIp, deps, "reset-password", async (user) => {
    const token = await issueEmailToken("reset-password", user, deps);
    const link = { appUrl: deps.mailSettings.appUrl, token, validForSeconds: deps.config.passwordResetTtlSeconds };
    await deps.mailer.send(resetPasswordMessage(user.email, link));
  });
}

/**
 * The one shape of both requests: counted first, then `send` for an existing account (it may
 * decline by returning undefined), its failure only logged, all padded to the minimum time.
 */
async function mailAccount(
  account: Account,
  sourceIp: string,
  deps: MailRequestDeps,
  what: string,
  send: (user: UserRecord) => Promise<void> | undefined,
): Promise<void> {
  await noSoonerThan(deps.limits.emailRequestMinMs, deps, async () => {
    await admitMailTo(account, sourceIp, deps);
    const user = await deps.store.getUser(account.tenant, account.email);
    if (user) await sendQuietly(what, user.userId, deps, async () => send(user));
  });
}
