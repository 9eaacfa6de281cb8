import { SESv2Client } from "@aws-sdk/client-sesv2";
import { sesMailer } from "../adapters/ses-mailer.js";
import type { Mailer, MailSettings } from "../domain/mailer.js";
import { loadMailSettings, type Env } from "./config.js";

let client: SESv2Client | undefined;

/**
 * The SES mailer and its settings, made once per cold start, only in the bundles that send.
 * The SDK reads region, credentials and `AWS_ENDPOINT_URL_SESV2` (or `AWS_ENDPOINT_URL`)
 * from the environment: the local runtime points it at its local SES v2 server.
 */
export function mailerFromEnv(env: Env): { mailer: Mailer; settings: MailSettings } {
  const settings = loadMailSettings(env);
  return { mailer: sesMailer((client ??= new SESv2Client({ maxAttempts: 3 })), settings), settings };
}
