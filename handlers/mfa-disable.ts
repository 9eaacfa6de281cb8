/** DELETE /auth/mfa/totp (strict): turns MFA off after a current code or the password; the owner is mailed. */
import { disableTotp } from "./lib/domain/mfa-enrolment.js";
import { readReauthentication } from "./lib/domain/mfa-proofs.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mailerFromEnv } from "./lib/runtime/mailer-from-env.js";
import { mfaDeps } from "./lib/runtime/mfa-deps.js";
import { passwordCheckDeps } from "./lib/runtime/password-check-deps.js";

const logger = createLogger("mfa-disable", process.env.LOG_LEVEL);
const { mailer, settings } = mailerFromEnv(process.env);
const deps = { ...passwordCheckDeps(process.env, logger), ...mfaDeps(process.env), mailer, mailSettings: settings };

export const handler = httpHandler(logger, async (event) => {
  await disableTotp(subjectOf(event), readReauthentication(jsonBody(event)), sourceAddress(event), deps);
  return noContent();
});
