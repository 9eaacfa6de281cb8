/** POST /auth/login: checks a password and opens a session. */
import { authenticate } from "./lib/domain/accounts.js";
import { systemClock } from "./lib/domain/clock.js";
import { loadConfig } from "./lib/runtime/config.js";
import { readCredentials } from "./lib/domain/credentials.js";
import { httpHandler } from "./lib/http/error-response.js";
import { jsonBody } from "./lib/http/json-body.js";
import { createLogger } from "./lib/runtime/logger.js";
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { startSession } from "./lib/domain/sessions.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { signerFromEnv } from "./lib/runtime/signer-from-env.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";
import { tokenResponse } from "./lib/http/token-response.js";

const config = loadConfig(process.env);
const logger = createLogger("login", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);
const hasher = argon2idHasher();
const signer = signerFromEnv(process.env);
const refreshKey = macKeyFromEnv(process.env);

export const handler = httpHandler(logger, async (event) => {
  const user = await authenticate(readCredentials(jsonBody(event), config, "login"), { store, hasher });
  const tokens = await startSession(user, { store, signer: await signer(), refreshKey, config, clock: systemClock, logger });
  return tokenResponse(tokens);
});
