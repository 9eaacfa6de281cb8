/** GET /me (bearer): the signed-in account's profile. */
import { profile } from "./lib/accounts.js";
import { authorizedSubject } from "./lib/authorizer-context.js";
import { httpHandler, json } from "./lib/http.js";
import { createLogger } from "./lib/logger.js";
import { storeFromEnv } from "./lib/store-from-env.js";

const logger = createLogger("me", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);

export const handler = httpHandler(logger, async (event) => {
  const { tenant, email, sub } = authorizedSubject(event);
  return json(200, await profile({ tenant, email, userId: sub }, { store }));
});
