/** POST /auth/refresh: rotates a refresh token (from the body, else the cookie) into a new token pair. */
import { stringField } from "./lib/domain/credentials.js";
import { InvalidRequestError } from "./lib/domain/errors.js";
import { requireTrustedOrigin } from "./lib/http/cookie-origin.js";
import { httpHandler } from "./lib/http/error-response.js";
import { cookie, type HttpEvent } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { clientOf, sourceAddress } from "./lib/http/source-address.js";
import { REFRESH_COOKIE, tokenResponse } from "./lib/http/token-response.js";
import { allowedOrigins, loadCookieSettings } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { refreshFromEnv } from "./lib/runtime/refresh-from-env.js";

const logger = createLogger("refresh", process.env.LOG_LEVEL);
const refresh = refreshFromEnv(process.env, logger);
const origins = allowedOrigins(process.env);
const refreshCookie = loadCookieSettings(process.env);

export const handler = httpHandler(logger, async (event) => {
  const tokens = await refresh(presentedToken(event), sourceAddress(event), clientOf(event));
  return tokenResponse(tokens, refreshCookie);
});

/**
 * A body `refresh_token` wins; a request without one (no body, or a JSON body whose field is
 * absent, null or "") uses the cookie, which only an allowed origin may send: a browser app
 * that posts `{refresh_token: stored ?? ""}` must not hide its cookie. With neither, it is malformed.
 */
function presentedToken(event: HttpEvent): string {
  const body = event.body ? jsonBody(event) : {};
  const inBody = body.refresh_token;
  if (inBody !== undefined && inBody !== null && inBody !== "") return stringField(body, "refresh_token");
  const fromCookie = cookie(event, REFRESH_COOKIE);
  if (!fromCookie) throw new InvalidRequestError("refresh_token is required (in the body or the refresh_token cookie)");
  requireTrustedOrigin(event, origins);
  return fromCookie;
}
