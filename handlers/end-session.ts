/** DELETE /auth/sessions/{sid} (strict): ends one of the signed-in user's sessions; another user's is a 404. */
import { systemClock } from "./lib/domain/clock.js";
import { endOwnSession } from "./lib/domain/live-sessions.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { noContent, pathParameter } from "./lib/http/event.js";
import { createLogger } from "./lib/runtime/logger.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("end-session", process.env.LOG_LEVEL);
const deps = { store: storeFromEnv(process.env), clock: systemClock };

export const handler = httpHandler(logger, async (event) => {
  await endOwnSession(subjectOf(event), pathParameter(event, "sid"), deps);
  return noContent();
});
