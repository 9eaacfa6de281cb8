import { json, noContent, type HttpResult } from "./event.js";
import type { TokenSet } from "../domain/sessions.js";

export const REFRESH_COOKIE = "refresh_token";

/**
 * The refresh cookie's attributes, per environment (runtime/config.ts loadCookieSettings).
 * By default it is scoped to /auth so it is sent only to the auth routes, never to the APIs
 * behind the authorizer; HttpOnly keeps it from scripts; SameSite=Strict from cross-site
 * requests; host-only (no Domain) to the API's own host.
 */
export interface CookieSettings {
  sameSite: "Strict" | "Lax" | "None";
  /** Sent to this domain and its subdomains; undefined: the API's host only. */
  domain?: string;
  path: string;
  secure: boolean;
}

export const DEFAULT_COOKIE: CookieSettings = { sameSite: "Strict", path: "/auth", secure: true };

const attributes = (cookie: CookieSettings): string =>
  ["HttpOnly", ...(cookie.secure ? ["Secure"] : []), `SameSite=${cookie.sameSite}`, `Path=${cookie.path}`, ...(cookie.domain ? [`Domain=${cookie.domain}`] : [])].join("; ");

/** RFC 6749 §5.1 token response, plus the refresh token as a cookie for browsers. */
export function tokenResponse(tokens: TokenSet, cookie: CookieSettings = DEFAULT_COOKIE): HttpResult {
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
    cookies: [`${REFRESH_COOKIE}=${tokens.refreshToken}; ${attributes(cookie)}; Max-Age=${tokens.refreshExpiresIn}`],
  };
}

/** 204 that also tells the browser to drop its refresh cookie (same attributes, or it would be another cookie). */
export const clearedSession = (cookie: CookieSettings = DEFAULT_COOKIE): HttpResult => noContent([`${REFRESH_COOKIE}=; ${attributes(cookie)}; Max-Age=0`]);

