/** POST /auth/password (strict): changes the password; every other session ends, this one continues; the owner is mailed. */
import { changePassword } from "./lib/domain/account-changes.js";
import { readPasswordChange } from "./lib/domain/new-password.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { loadConfig } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mailerFromEnv } from "./lib/runtime/mailer-from-env.js";
import { passwordCheckDeps } from "./lib/runtime/password-check-deps.js";

const config = loadConfig(process.env);
const logger = createLogger("change-password", process.env.LOG_LEVEL);
const { mailer, settings } = mailerFromEnv(process.env);
const deps = { ...passwordCheckDeps(process.env, logger), mailer, mailSettings: settings };

export const handler = httpHandler(logger, async (event) => {
  const subject = subjectOf(event);
  await changePassword(subject, readPasswordChange(jsonBody(event), subject.email, config), sourceAddress(event), deps);
  return noContent();
});
