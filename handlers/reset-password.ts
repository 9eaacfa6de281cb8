/** POST /auth/password/reset {token, new_password}: replaces the password; every session ends. */
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { readPassword, stringField } from "./lib/domain/credentials.js";
import { resetPassword } from "./lib/domain/password-reset.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mailFlowDeps } from "./lib/runtime/mail-flow-deps.js";

const logger = createLogger("reset-password", process.env.LOG_LEVEL);
const deps = { ...mailFlowDeps(process.env, logger), hasher: argon2idHasher() };

export const handler = httpHandler(logger, async (event) => {
  const body = jsonBody(event);
  await resetPassword(stringField(body, "token"), readPassword(body, "new_password"), deps);
  return noContent();
});
