/** POST /auth/logout (bearer): ends this session, the user's other sessions, or all of them (`{scope?}`). */
import { endSessions, readSignOutScope } from "./lib/domain/sessions.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { clearedSession } from "./lib/http/token-response.js";
import { loadCookieSettings } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("logout", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);
const refreshCookie = loadCookieSettings(process.env);

export const handler = httpHandler(logger, async (event) => {
  const scope = readSignOutScope(event.body ? jsonBody(event) : {});
  await endSessions(subjectOf(event), scope, { store });
  // Signing out the others keeps this session, and so its refresh cookie.
  return scope === "others" ? noContent() : clearedSession(refreshCookie);
});
