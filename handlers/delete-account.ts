/** DELETE /me (strict): deletes the account after its password; every session ends. */
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { accountRefUnder } from "./lib/domain/account-ref.js";
import { deleteAccount } from "./lib/domain/account-changes.js";
import { systemClock } from "./lib/domain/clock.js";
import { readPassword } from "./lib/domain/credentials.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { clearedSession } from "./lib/http/token-response.js";
import { loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { countersFromEnv, emailTokensFromEnv, storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("delete-account", process.env.LOG_LEVEL);
const deps = {
  logger,
  store: storeFromEnv(process.env),
  counters: countersFromEnv(process.env),
  emailTokens: emailTokensFromEnv(process.env),
  limits: loadLimits(process.env),
  hasher: argon2idHasher(),
  clock: systemClock,
  accountRef: accountRefUnder(macKeyFromEnv(process.env)),
};

export const handler = httpHandler(logger, async (event) => {
  await deleteAccount(subjectOf(event), readPassword(jsonBody(event), "password"), sourceAddress(event), deps);
  return clearedSession();
});
