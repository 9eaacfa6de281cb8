/** POST /auth/mfa/totp/confirm (strict): a code from the app turns MFA on; returns the recovery codes, this once. */
import { stringField } from "./lib/domain/credentials.js";
import { confirmTotp } from "./lib/domain/mfa-enrolment.js";
import { readTotpCode } from "./lib/domain/totp.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mailerFromEnv } from "./lib/runtime/mailer-from-env.js";
import { mfaDeps } from "./lib/runtime/mfa-deps.js";

const logger = createLogger("mfa-confirm", process.env.LOG_LEVEL);
const { mailer, settings } = mailerFromEnv(process.env);
const deps = { ...mfaDeps(process.env), logger, mailer, mailSettings: settings };

export const handler = httpHandler(logger, async (event) => {
  const codes = await confirmTotp(subjectOf(event), readTotpCode(stringField(jsonBody(event), "code")), deps);
  return json(200, { recovery_codes: codes }, { "cache-control": "no-store" });
});
