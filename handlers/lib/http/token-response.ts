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
export const clearedSession = (cookie: CookieSettings = DEFAULT_COOKIE): HttpResult => noContent([clearingCookie(cookie)]);

const clearingCookie = (cookie: CookieSettings): string => `${REFRESH_COOKIE}=; ${attributes(cookie)}; Max-Age=0`;


/**
 * The token endpoint's answer (RFC 6749 §5.1): tokenResponse's body and headers, no cookie.
 * An OAuth client keeps the refresh token itself and sends it in the body (§6). And the
 * endpoint takes form bodies, which any site can post cross-site without a preflight: a
 * cookie set there would let a page plant its own session in a visitor's browser (login
 * CSRF). Browser apps that use the cookie refresh at /auth/refresh.
 */
export function oauthTokenResponse(tokens: TokenSet): HttpResult {
  const { cookies: _cookie, ...response } = tokenResponse(tokens);
  return response;
}

/**
 * RFC 7009 §2.2: 200 with an empty body, whatever became of the token; with `clearCookie`,
 * the browser also drops its refresh cookie (same attributes, or it would be another cookie).
 */
export const revocationResponse = (clearCookie?: CookieSettings): HttpResult => ({
  statusCode: 200,
  headers: { "cache-control": "no-store" },
  ...(clearCookie ? { cookies: [clearingCookie(clearCookie)] } : {}),
});
