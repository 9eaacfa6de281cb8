/** POST /auth/login: checks a password, within the brute-force limits, and opens a session. */
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { accountRefUnder } from "./lib/domain/account-ref.js";
import { systemClock } from "./lib/domain/clock.js";
import { readCredentials } from "./lib/domain/credentials.js";
import { attemptLogin } from "./lib/domain/login-attempt.js";
import { startSession } from "./lib/domain/sessions.js";
import { httpHandler } from "./lib/http/error-response.js";
import { jsonBody } from "./lib/http/json-body.js";
import { clientOf, sourceAddress } from "./lib/http/source-address.js";
import { tokenResponse } from "./lib/http/token-response.js";
import { loadConfig, loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { signerFromEnv } from "./lib/runtime/signer-from-env.js";
import { countersFromEnv, storeFromEnv } from "./lib/runtime/store-from-env.js";

const config = loadConfig(process.env);
const logger = createLogger("login", process.env.LOG_LEVEL);
const signer = signerFromEnv(process.env);
const refreshKey = macKeyFromEnv(process.env);
const deps = {
  config,
  logger,
  store: storeFromEnv(process.env),
  counters: countersFromEnv(process.env),
  limits: loadLimits(process.env),
  hasher: argon2idHasher(),
  clock: systemClock,
  refreshKey,
  accountRef: accountRefUnder(refreshKey),
};

export const handler = httpHandler(logger, async (event) => {
  const user = await attemptLogin(readCredentials(jsonBody(event), config), sourceAddress(event), deps);
  return tokenResponse(await startSession(user, { ...deps, signer: await signer() }, clientOf(event)));
});
