import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { TemporarilyUnavailableError } from "../domain/errors.js";
import type { EmailMessage, Mailer, MailSettings } from "../domain/mailer.js";

/** The part of the SES v2 client the mailer uses. */
export type SesSend = Pick<SESv2Client, "send">;

const UTF8 = "UTF-8";

/**
 * The mailer on SES v2 `SendEmail` (simple content: subject, text and HTML, all UTF-8),
 * tracked under the configuration set when one is set. Any failure (throttling, the
 * sandbox refusing a recipient, SES unreachable) is temporarily_unavailable (503), as for
 * the table. The cause goes to the log reduced to its class and HTTP status: SES messages
 * can quote the recipient's address, and no email is ever logged (OWASP ASVS 7.1.1).
 */
export function sesMailer(ses: SesSend, settings: Pick<MailSettings, "from" | "configurationSet">): Mailer {
  return {
    async send(message: EmailMessage): Promise<void> {
      const command = new SendEmailCommand({
        FromEmailAddress: settings.from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: UTF8 },
            Body: { Text: { Data: message.text, Charset: UTF8 }, Html: { Data: message.html, Charset: UTF8 } },
          },
        },
        ...(settings.configurationSet ? { ConfigurationSetName: settings.configurationSet } : {}),
      });
      try {
        await ses.send(command);
      } catch (error) {
        throw new TemporarilyUnavailableError("the mail service is unavailable, try again shortly", { cause: redacted(error) });
      }
    },
  };
}

/** The failure without its message: `SES MessageRejected (HTTP 400)`, `SES Error (no answer)`. */
function redacted(error: unknown): Error {
  const name = error instanceof Error ? error.name : typeof error;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = status ? `HTTP ${status}` : typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : "no answer";
  const cause = new Error(`SES ${name} (${reason})`);
  cause.name = "SesError";
  return cause;
}
