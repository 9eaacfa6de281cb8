/** GET /auth/sessions (strict): the signed-in user's live sessions, the caller's marked current. */
import { systemClock } from "./lib/domain/clock.js";
import { listLiveSessions } from "./lib/domain/live-sessions.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { createLogger } from "./lib/runtime/logger.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("sessions", process.env.LOG_LEVEL);
const deps = { store: storeFromEnv(process.env), clock: systemClock };

export const handler = httpHandler(logger, async (event) => json(200, { sessions: await listLiveSessions(subjectOf(event), deps) }));
