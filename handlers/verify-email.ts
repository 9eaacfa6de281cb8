/** POST /auth/verify-email {token}: consumes a verification link's token and marks the email verified. */
import { systemClock } from "./lib/domain/clock.js";
import { stringField } from "./lib/domain/credentials.js";
import { verifyEmail } from "./lib/domain/email-verification.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { loadConfig } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { emailTokensFromEnv, storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("verify-email", process.env.LOG_LEVEL);
const deps = { config: loadConfig(process.env), store: storeFromEnv(process.env), emailTokens: emailTokensFromEnv(process.env), clock: systemClock };

export const handler = httpHandler(logger, async (event) => {
  await verifyEmail(stringField(jsonBody(event), "token"), deps);
  return noContent();
});
