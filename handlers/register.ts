/** POST /auth/register: creates an account. */
import { register, toProfile } from "./lib/accounts.js";
import { systemClock } from "./lib/clock.js";
import { loadConfig } from "./lib/config.js";
import { readCredentials } from "./lib/credentials.js";
import { httpHandler, json, jsonBody } from "./lib/http.js";
import { createLogger } from "./lib/logger.js";
import { argon2idHasher } from "./lib/passwords.js";
import { storeFromEnv } from "./lib/store-from-env.js";

const config = loadConfig(process.env);
const logger = createLogger("register", process.env.LOG_LEVEL);
const deps = { store: storeFromEnv(process.env), hasher: argon2idHasher(), clock: systemClock };

export const handler = httpHandler(logger, async (event) => {
  const user = await register(readCredentials(jsonBody(event), config, "register"), deps);
  const { user_id, email } = toProfile(user);
  return json(201, { user_id, email });
});
