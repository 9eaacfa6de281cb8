import type { Account } from "./credentials.js";
import type { Deps } from "./deps.js";
import { verifyEmailMessage } from "./emails.js";
import { issueEmailToken } from "./email-tokens.js";

/** What sending an account's mail needs. */
export type AccountMailDeps = Pick<Deps, "emailTokens" | "clock" | "config" | "mailer" | "mailSettings" | "logger">;

/** Issues a verification token for the user (replacing a pending one, so older links stop working) and mails its link. */
export async function sendVerificationEmail(user: Account & { userId: string }, deps: AccountMailDeps): Promise<void> {
  const token = await issueEmailToken("verify-email", user, deps);
  const link = { appUrl: deps.mailSettings.appUrl, token, validForSeconds: deps.config.emailVerificationTtlSeconds };
  await deps.mailer.send(verifyEmailMessage(user.email, link));
}

/**
 * Sends where the answer must not depend on delivery: a failure would tell the caller that the
 * account exists (forgot password, resend), or the change it reports is already made (the
 * password-changed notice). The failure is logged (without the message: it holds a token), not thrown.
 */
export async function sendQuietly(what: string, userId: string, deps: Pick<Deps, "logger">, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    deps.logger.error("mail not sent", { what, userId, error: (error as Error).name });
  }
}
