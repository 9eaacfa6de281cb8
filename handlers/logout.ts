/** POST /auth/logout (bearer): revokes the session the access token belongs to. */
import { authorizedSubject } from "./lib/authorizer-context.js";
import { httpHandler } from "./lib/http.js";
import { createLogger } from "./lib/logger.js";
import { endSession } from "./lib/sessions.js";
import { storeFromEnv } from "./lib/store-from-env.js";
import { clearedSession } from "./lib/token-response.js";

const logger = createLogger("logout", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);

export const handler = httpHandler(logger, async (event) => {
  await endSession(authorizedSubject(event).sid, { store });
  return clearedSession();
});
