import type { AccessClaims, Subject } from "../domain/access-token.js";
import { InvalidTokenError } from "../domain/errors.js";
import type { HttpEvent } from "./event.js";

/**
 * What the authorizer hands to protected functions (API Gateway puts it at
 * `requestContext.authorizer.lambda`). Both sides use this module, so the field names
 * live in one place.
 */
export interface AuthorizedSubject {
  sub: string;
  email: string;
  /** Whether the owner proved the address: an API behind this authorizer can require it. */
  email_verified: boolean;
  sid: string;
  tenant: string;
  /**
   * The token's `amr` joined by spaces (`pwd`, `pwd otp`): an API behind this authorizer can
   * require the second factor. A string, as API Gateway documents context values as strings,
   * numbers and booleans.
   */
  amr: string;
}

export const contextFromClaims = (claims: AccessClaims): AuthorizedSubject => ({
  sub: claims.sub,
  email: claims.email,
  email_verified: claims.email_verified,
  sid: claims.sid,
  tenant: claims.aud,
  amr: claims.amr.join(" "),
});

/**
 * Reads the authorizer's context. Its absence means the route was deployed without the
 * authorizer: refuse rather than trust the request.
 */
export function authorizedSubject(event: HttpEvent): AuthorizedSubject {
  const context = event.requestContext.authorizer?.lambda ?? {};
  const { sub, email, email_verified, sid, tenant, amr } = context;
  if (typeof sub !== "string" || typeof email !== "string" || typeof sid !== "string" || typeof tenant !== "string") {
    throw new InvalidTokenError("this route requires a valid access token");
  }
  return { sub, email, email_verified: email_verified === true, sid, tenant, amr: typeof amr === "string" ? amr : "pwd" };
}

/** The authorizer's context as the domain names it. */
export function subjectOf(event: HttpEvent): Subject {
  const { sub, email, sid, tenant } = authorizedSubject(event);
  return { userId: sub, email, sid, tenant };
}

/**
 * Extracts the token from `Authorization: Bearer <token>` (RFC 6750 §2.1). The header
 * name and the scheme are case-insensitive (RFC 7235 §2.1); no other scheme is accepted.
 */
export function bearerToken(headers: Record<string, string | undefined> | undefined): string | undefined {
  if (!headers) return undefined;
  const name = Object.keys(headers).find((key) => key.toLowerCase() === "authorization");
  const match = name ? /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(headers[name] ?? "") : null;
  return match?.[1];
}
