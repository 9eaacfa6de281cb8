import type { EmailMessage } from "./mailer.js";

/**
 * The messages the account flows send, as plain text and simple HTML. Every value put into
 * the HTML is escaped (OWASP ASVS 5.3.3), and a token appears only inside its link's query
 * string, never in the subject: mail subjects end up in logs and notification previews.
 */

/** A link that carries a single-use token, and how long it stays valid. */
export interface TokenLink {
  /** The app's base URL, without a trailing slash (MailSettings.appUrl). */
  appUrl: string;
  token: string;
  validForSeconds: number;
}

/** The "verify your email" message: the link opens the app, which posts the token to /auth/verify-email. */
export function verifyEmailMessage(to: string, link: TokenLink): EmailMessage {
  const url = tokenUrl(link, "verify-email");
  const lifetime = duration(link.validForSeconds);
  return message(to, "Verify your email address", [
    { text: `Someone, hopefully you, created an account with ${to}. To confirm the address, open this link within ${lifetime}:` },
    { link: url },
    { text: "If you did not create an account, ignore this message: nothing happens without the link." },
  ]);
}

/**
 * Sent instead of an error when someone registers an address that already has an account,
 * so that register tells nobody which addresses exist.
 */
export function signUpAttemptMessage(to: string, appUrl: string): EmailMessage {
  return message(to, "Someone tried to sign up with your email address", [
    { text: `Someone tried to create an account with ${to}, which already has one. If it was you, sign in, or reset your password if you have forgotten it:` },
    { link: appUrl },
    { text: "If it was not you, you need do nothing: your account is unchanged." },
  ]);
}

/** The "reset your password" message: the link opens the app, which posts the token and a new password to /auth/password/reset. */
export function resetPasswordMessage(to: string, link: TokenLink): EmailMessage {
  const url = tokenUrl(link, "reset-password");
  const lifetime = duration(link.validForSeconds);
  return message(to, "Reset your password", [
    { text: `Someone, hopefully you, asked to reset the password of the account ${to}. To choose a new one, open this link within ${lifetime}:` },
    { link: url },
    { text: "If you did not ask, ignore this message: your password stays as it is." },
  ]);
}

/** Sent after a password change or reset, so an owner notices a takeover (OWASP ASVS 4.0.3 2.5.5). */
export function passwordChangedMessage(to: string, appUrl: string): EmailMessage {
  return message(to, "Your password was changed", [
    { text: `The password of the account ${to} was just changed, and every other session was signed out.` },
    { text: "If it was not you, reset your password now at:" },
    { link: appUrl },
  ]);
}

/** Sent when a second factor is turned on or off, so an owner notices a change they did not make (OWASP ASVS 4.0.3 2.5.5). */
export function mfaChangedMessage(to: string, appUrl: string, enabled: boolean): EmailMessage {
  return message(to, enabled ? "Two-step sign-in was turned on" : "Two-step sign-in was turned off", [
    {
      text: enabled
        ? `Signing in to the account ${to} now needs a code from an authenticator app, or one of the recovery codes, after the password.`
        : `Signing in to the account ${to} no longer needs a code after the password.`,
    },
    { text: "If it was not you, reset your password now at:" },
    { link: appUrl },
  ]);
}

type Part = { text: string } | { link: string };

/** One message from paragraphs and links: the text as is, the HTML escaped. */
function message(to: string, subject: string, parts: Part[]): EmailMessage {
  const text = parts.map((part) => ("text" in part ? part.text : part.link)).join("\n\n") + "\n";
  const paragraphs = parts.map((part) =>
    "text" in part ? `<p>${escapeHtml(part.text)}</p>` : `<p><a href="${escapeHtml(part.link)}">${escapeHtml(part.link)}</a></p>`,
  );
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${paragraphs.join("\n")}\n</body></html>\n`;
  return { to, subject, text, html };
}

/** `${appUrl}/<page>?token=<token>`, the token percent-encoded. */
function tokenUrl(link: TokenLink, page: string): string {
  return `${link.appUrl}/${page}?token=${encodeURIComponent(link.token)}`;
}

/** "24 hours", "30 minutes", "1 hour 30 minutes": what a person reads in the message. */
export function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds % 3600) / 60);
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? "" : "s"}`;
  if (hours && minutes) return `${unit(hours, "hour")} ${unit(minutes, "minute")}`;
  if (hours) return unit(hours, "hour");
  return unit(Math.max(minutes, 1), "minute");
}

/** Escapes the five characters that matter in HTML text and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
