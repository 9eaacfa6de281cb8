/**
 * POST /oauth/revoke and POST /auth/revoke: token revocation (RFC 7009). The token comes from
 * the form (`token`; `token_type_hint` is only a hint, §2.1, and is not needed), or, with none
 * there, from the refresh cookie, which is why the route also sits under /auth, inside the
 * cookie's Path. This is how a browser app whose access token has expired signs out.
 * Every token gets 200 (§2.2); only a request with no token at all is malformed.
 */
import { systemClock } from "./lib/domain/clock.js";
import { InvalidGrantError, InvalidRequestError } from "./lib/domain/errors.js";
import { limitFailures } from "./lib/domain/source-limits.js";
import { revokeToken } from "./lib/domain/token-revocation.js";
import { requireTrustedOrigin } from "./lib/http/cookie-origin.js";
import { httpHandler } from "./lib/http/error-response.js";
import { cookie, type HttpEvent } from "./lib/http/event.js";
import { formBody } from "./lib/http/form-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { REFRESH_COOKIE, revocationResponse } from "./lib/http/token-response.js";
import { allowedOrigins, loadCookieSettings, loadLimits } from "./lib/runtime/config.js";
import { accessTokenVerifierFromEnv } from "./lib/runtime/keys-from-env.js";
import { createLogger } from "./lib/runtime/logger.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { countersFromEnv, storeFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("oauth-revoke", process.env.LOG_LEVEL);
const verifyAccess = accessTokenVerifierFromEnv(process.env);
const origins = allowedOrigins(process.env);
const refreshCookie = loadCookieSettings(process.env);
const deps = {
  logger,
  store: storeFromEnv(process.env),
  refreshKey: macKeyFromEnv(process.env),
  counters: countersFromEnv(process.env),
  limits: loadLimits(process.env),
  clock: systemClock,
  // The authorizer's checks: an access token only counts if this service signed it.
  verifyAccess: (token: string) => verifyAccess(token, Date.now()),
};

export const handler = httpHandler(logger, async (event) => {
  const { token, isCookies } = presentedToken(event);
  // A token this service never issued counts against the address, as a failed refresh does
  // (each costs a MAC), and is then answered like any other (§2.2: no oracle).
  await limitFailures(sourceAddress(event), deps, () => revokeToken(token, deps)).catch((error: unknown) => {
    if (!(error instanceof InvalidGrantError)) throw error;
  });
  // Only the cookie's own token clears it: a form post from any site (no preflight) must not
  // sign a browser out, nor a token of another session drop this one's cookie.
  return revocationResponse(isCookies ? refreshCookie : undefined);
});

/**
 * The form's `token` wins; without one, the refresh cookie, from an allowed origin only (as
 * on refresh: the cookie authenticates the request, OWASP ASVS 4.2.2).
 */
function presentedToken(event: HttpEvent): { token: string; isCookies: boolean } {
  const inForm = event.body ? formBody(event).get("token") : undefined;
  const fromCookie = cookie(event, REFRESH_COOKIE);
  if (inForm) return { token: inForm, isCookies: inForm === fromCookie };
  if (!fromCookie) throw new InvalidRequestError("token is required (in the form body or the refresh_token cookie)");
  requireTrustedOrigin(event, origins);
  return { token: fromCookie, isCookies: true };
}
