/** GET /me (bearer): the signed-in account's profile. */
import { profile } from "./lib/domain/accounts.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { createLogger } from "./lib/runtime/logger.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("me", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);

export const handler = httpHandler(logger, async (event) => {
  return json(200, await profile(subjectOf(event), { store }));
});
