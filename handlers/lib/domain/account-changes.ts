import type { Subject } from "./access-token.js";
import { sendQuietly } from "./account-mail.js";
import type { Deps } from "./deps.js";
import { passwordChangedMessage } from "./emails.js";
import { InvalidGrantError, InvalidTokenError } from "./errors.js";
import { revokeEmailTokens } from "./email-tokens.js";
import { requireLiveSession } from "./live-sessions.js";
import { attemptLogin } from "./login-attempt.js";

type CheckDeps = Pick<Deps, "store" | "hasher" | "counters" | "limits" | "clock" | "logger" | "accountRef">;
type ChangeDeps = CheckDeps & Pick<Deps, "mailer" | "mailSettings">;
type DeleteDeps = CheckDeps & Pick<Deps, "emailTokens">;

const GONE = "the account for this token no longer exists";

/**
 * Checks the signed-in user's password as a login would: it counts toward the account's
 * lockout and the address's failure window (a stolen access token must not become an
 * unlimited password oracle), and a success clears the lock.
 */
export async function confirmPassword(subject: Subject, password: string, sourceIp: string, deps: CheckDeps): Promise<void> {
  try {
    const user = await attemptLogin({ tenant: subject.tenant, email: subject.email, password }, sourceIp, deps);
    if (user.userId !== subject.userId) throw new InvalidTokenError(GONE);
  } catch (error) {
    if (error instanceof InvalidGrantError) throw new InvalidGrantError("the current password is incorrect");
    throw error;
  }
}

/**
 * Changes the password of a live session's user. The hash and the session version change
 * in one write, so every other session ends at its next refresh (at once on strict
 * routes); this session is moved to the new version and continues with the tokens it has.
 * The owner is told by mail (OWASP ASVS 2.5.5), so a takeover by someone who had the password
 * does not go unnoticed; the change is made, so a failed delivery is only logged.
 */
export async function changePassword(
  subject: Subject,
  change: { current: string; next: string },
  sourceIp: string,
  deps: ChangeDeps,
): Promise<void> {
  await requireLiveSession(subject, deps);
  await confirmPassword(subject, change.current, sourceIp, deps);
  const version = await deps.store.changePassword(subject.tenant, subject.email, subject.userId, await deps.hasher.hash(change.next));
  if (version === undefined) throw new InvalidTokenError(GONE);
  await deps.store.restampSession(subject.sid, version);
  await sendQuietly("password-changed", subject.userId, deps, () => deps.mailer.send(passwordChangedMessage(subject.email, deps.mailSettings.appUrl)));
}

/**
 * Deletes the account of a live session's user, after the password. The user item goes
 * first: from then on every session fails its next refresh and strict request (they check
 * the user) and the email can register again as a new account. Then the session items,
 * which hold the email, are deleted too, found through the sessions-by-owner index (no
 * scan), and any pending email token (one item per purpose); one that a failure leaves
 * behind is already unusable and expires with its TTL.
 */
export async function deleteAccount(subject: Subject, password: string, sourceIp: string, deps: DeleteDeps): Promise<void> {
  await requireLiveSession(subject, deps);
  await confirmPassword(subject, password, sourceIp, deps);
  await deps.store.deleteUser(subject.tenant, subject.email, subject.userId);
  const sessions = await deps.store.listSessions(subject.userId);
  await Promise.all([
    ...[...new Set([subject.sid, ...sessions.map((session) => session.sid)])].map((sid) => deps.store.deleteSession(sid)),
    revokeEmailTokens(subject.userId, deps),
  ]);
}
