import { json, noContent, type HttpResult } from "./event.js";
import type { TokenSet } from "../domain/sessions.js";

export const REFRESH_COOKIE = "refresh_token";

/**
 * The cookie is scoped to /auth so it is sent only to refresh and logout, never to the
 * APIs behind the authorizer; HttpOnly keeps it from scripts, SameSite=Strict from
 * cross-site requests.
 */
const COOKIE_ATTRIBUTES = "HttpOnly; Secure; SameSite=Strict; Path=/auth";

/** RFC 6749 §5.1 token response, plus the refresh token as a cookie for browsers. */
export function tokenResponse(tokens: TokenSet): HttpResult {
  return {
    ...json(
      200,
      {
        access_token: tokens.accessToken,
        token_type: "Bearer",
        expires_in: tokens.expiresIn,
        refresh_token: tokens.refreshToken,
      },
      { pragma: "no-cache" },
    ),
    cookies: [`${REFRESH_COOKIE}=${tokens.refreshToken}; ${COOKIE_ATTRIBUTES}; Max-Age=${tokens.refreshExpiresIn}`],
  };
}

/** 204 that also tells the browser to drop its refresh cookie. */
export const clearedSession = (): HttpResult => noContent([`${REFRESH_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`]);

