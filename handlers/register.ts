/** POST /auth/register: creates an account. */
import { register, toProfile } from "./lib/domain/accounts.js";
import { systemClock } from "./lib/domain/clock.js";
import { loadConfig } from "./lib/runtime/config.js";
import { readCredentials } from "./lib/domain/credentials.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { createLogger } from "./lib/runtime/logger.js";
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";

const config = loadConfig(process.env);
const logger = createLogger("register", process.env.LOG_LEVEL);
const deps = { store: storeFromEnv(process.env), hasher: argon2idHasher(), clock: systemClock };

export const handler = httpHandler(logger, async (event) => {
  const user = await register(readCredentials(jsonBody(event), config, "register"), deps);
  const { user_id, email } = toProfile(user);
  return json(201, { user_id, email });
});
