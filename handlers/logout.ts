/** POST /auth/logout (bearer): revokes the session the access token belongs to. */
import { endSession } from "./lib/domain/sessions.js";
import { authorizedSubject } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { clearedSession } from "./lib/http/token-response.js";
import { createLogger } from "./lib/runtime/logger.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("logout", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);

export const handler = httpHandler(logger, async (event) => {
  await endSession(authorizedSubject(event).sid, { store });
  return clearedSession();
});
