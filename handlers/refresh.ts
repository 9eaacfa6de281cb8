/** POST /auth/refresh: rotates a refresh token (from the body, else the cookie) into a new token pair. */
import { systemClock } from "./lib/domain/clock.js";
import { allowedOrigins, loadConfig } from "./lib/runtime/config.js";
import { stringField } from "./lib/domain/credentials.js";
import { InvalidRequestError } from "./lib/domain/errors.js";
import { requireTrustedOrigin } from "./lib/http/cookie-origin.js";
import { cookie, type HttpEvent } from "./lib/http/event.js";
import { httpHandler } from "./lib/http/error-response.js";
import { jsonBody } from "./lib/http/json-body.js";
import { createLogger } from "./lib/runtime/logger.js";
import { refreshSession } from "./lib/domain/sessions.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { signerFromEnv } from "./lib/runtime/signer-from-env.js";
import { storeFromEnv } from "./lib/runtime/store-from-env.js";
import { REFRESH_COOKIE, tokenResponse } from "./lib/http/token-response.js";

const config = loadConfig(process.env);
const logger = createLogger("refresh", process.env.LOG_LEVEL);
const store = storeFromEnv(process.env);
const signer = signerFromEnv(process.env);
const refreshKey = macKeyFromEnv(process.env);
const origins = allowedOrigins(process.env);

export const handler = httpHandler(logger, async (event) => {
  const tokens = await refreshSession(presentedToken(event), {
    store,
    signer: await signer(),
    refreshKey,
    config,
    clock: systemClock,
    logger,
  });
  return tokenResponse(tokens);
});

/**
 * A body `refresh_token` wins; a request without one (no body, or a JSON body without the
 * field) uses the cookie, which only an allowed origin may send. With neither, it is malformed.
 */
function presentedToken(event: HttpEvent): string {
  const body = event.body ? jsonBody(event) : {};
  if (body.refresh_token !== undefined) return stringField(body, "refresh_token");
  const fromCookie = cookie(event, REFRESH_COOKIE);
  if (!fromCookie) throw new InvalidRequestError("refresh_token is required (in the body or the refresh_token cookie)");
  requireTrustedOrigin(event, origins);
  return fromCookie;
}
