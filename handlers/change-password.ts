/** POST /auth/password (strict): changes the password; every other session ends, this one continues. */
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { accountRefUnder } from "./lib/domain/account-ref.js";
import { changePassword } from "./lib/domain/account-changes.js";
import { systemClock } from "./lib/domain/clock.js";
import { readPasswordChange } from "./lib/domain/new-password.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { loadConfig, loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { countersFromEnv, storeFromEnv } from "./lib/runtime/store-from-env.js";

const config = loadConfig(process.env);
const logger = createLogger("change-password", process.env.LOG_LEVEL);
const deps = {
  logger,
  store: storeFromEnv(process.env),
  counters: countersFromEnv(process.env),
  limits: loadLimits(process.env),
  hasher: argon2idHasher(),
  clock: systemClock,
  accountRef: accountRefUnder(macKeyFromEnv(process.env)),
};

export const handler = httpHandler(logger, async (event) => {
  const subject = subjectOf(event);
  await changePassword(subject, readPasswordChange(jsonBody(event), subject.email, config), sourceAddress(event), deps);
  return noContent();
});
