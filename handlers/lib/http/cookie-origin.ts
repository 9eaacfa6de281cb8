import { AccessDeniedError } from "../domain/errors.js";
import { header, type HttpEvent } from "./event.js";

/**
 * CSRF defence for requests the refresh cookie authenticates (OWASP ASVS 4.0.3 V4.2.2;
 * OWASP CSRF cheat sheet, "verifying origin with standard headers"): the browser must say
 * the request comes from an allowed origin (`Origin`, RFC 6454 §7) or the API's own, or,
 * where it sends no `Origin`, that it is same-origin (`Sec-Fetch-Site`, W3C Fetch
 * Metadata). A page cannot forge either header, and clients that are not browsers send the
 * token in the body instead, which this check does not concern. `*` in the list allows
 * CORS reads, never cookie use: a wildcard CORS policy sends no credentials anyway.
 */
export function requireTrustedOrigin(event: HttpEvent, allowedOrigins: readonly string[]): void {
  const origin = header(event, "origin");
  const trusted =
    origin === undefined
      ? header(event, "sec-fetch-site") === "same-origin"
      : origin !== "*" && (allowedOrigins.includes(origin) || origin === ownOrigin(event));
  if (!trusted) {
    throw new AccessDeniedError("the refresh cookie is accepted only from an allowed origin; other clients send refresh_token in the body");
  }
}

/**
 * The API's own origin. API Gateway serves HTTPS only and says so in X-Forwarded-Proto;
 * the local runtime sets it to http.
 */
function ownOrigin(event: HttpEvent): string | undefined {
  const host = event.requestContext.domainName;
  if (!host) return undefined;
  const proto = (header(event, "x-forwarded-proto") ?? "https").split(",")[0].trim().toLowerCase();
  return `${proto}://${host.toLowerCase()}`;
}
