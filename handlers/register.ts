/** POST /auth/register: creates an account, within the per-address sign-up limit. */
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { register, toProfile } from "./lib/domain/accounts.js";
import { systemClock } from "./lib/domain/clock.js";
import { readNewCredentials } from "./lib/domain/new-password.js";
import { admitSignup } from "./lib/domain/source-limits.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { loadConfig, loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { countersFromEnv, storeFromEnv } from "./lib/runtime/store-from-env.js";

const config = loadConfig(process.env);
const logger = createLogger("register", process.env.LOG_LEVEL);
const deps = {
  logger,
  store: storeFromEnv(process.env),
  counters: countersFromEnv(process.env),
  limits: loadLimits(process.env),
  hasher: argon2idHasher(),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const credentials = readNewCredentials(jsonBody(event), config);
  // Counted before the argon2id work it would cost (OWASP ASVS 2.2.1).
  await admitSignup(sourceAddress(event), deps);
  const { user_id, email } = toProfile(await register(credentials, deps));
  return json(201, { user_id, email });
});
