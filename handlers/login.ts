/** POST /auth/login: checks a password and opens a session. */
import { authenticate } from "./lib/accounts.js";
import { systemClock } from "./lib/clock.js";
import { loadConfig } from "./lib/config.js";
import { readCredentials } from "./lib/credentials.js";
import { httpHandler, jsonBody } from "./lib/http.js";
import { createLogger } from "./lib/logger.js";
import { argon2idHasher } from "./lib/passwords.js";
import { startSession } from "./lib/sessions.js";
import { signerFromEnv } from "./lib/signer-from-env.js";
import { storeFromEnv } from "./lib/store-from-env.js";
import { tokenResponse } from "./lib/token-response.js";

const config = loadConfig(process.env);
const logger = createLogger("login", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);
const hasher = argon2idHasher();
const signer = signerFromEnv(process.env);

export const handler = httpHandler(logger, async (event) => {
  const user = await authenticate(readCredentials(jsonBody(event), config, "login"), { store, hasher });
  const tokens = await startSession(user, { store, signer: await signer(), config, clock: systemClock, logger });
  return tokenResponse(tokens);
});
