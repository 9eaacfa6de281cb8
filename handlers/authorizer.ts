/**
 * API Gateway HTTP API REQUEST authorizer (payload 2.0, simple responses). Verifies the
 * ES256 or RS256 access token offline (the algorithm is the key's, never the header's)
 * against keys parsed once per cold start: no AWS SDK, no network call per request. A warm
 * instance answers a token it has already verified from memory until the token's exp
 * (domain/verified-token-cache.ts), where API Gateway's own cache is off or has expired.
 */
import { verifiedTokenCache } from "./lib/domain/verified-token-cache.js";
import { bearerToken, contextFromClaims, type AuthorizedSubject } from "./lib/http/authorizer-context.js";
import { accessTokenVerifierFromEnv } from "./lib/runtime/keys-from-env.js";
import { createLogger } from "./lib/runtime/logger.js";

export interface AuthorizerEvent {
  headers?: Record<string, string | undefined>;
  requestContext?: { requestId?: string };
}

export interface AuthorizerResult {
  isAuthorized: boolean;
  context?: AuthorizedSubject;
}

const verifyAccess = accessTokenVerifierFromEnv(process.env);
const logger = createLogger("authorizer", process.env.LOG_LEVEL);
/** Tokens this warm instance verified, each until its exp: at most ~4 MB (a 43-character key and a small context each). */
const VERIFIED_TOKENS_KEPT = 10_000;
const verified = verifiedTokenCache<AuthorizedSubject>(VERIFIED_TOKENS_KEPT);

export const handler = async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
  const token = bearerToken(event.headers);
  if (!token) {
    logger.info("denied", { reason: "no bearer token", requestId: event.requestContext?.requestId });
    return { isAuthorized: false };
  }
  const now = Date.now();
  const key = verified.keyOf(token);
  const known = verified.get(key, now);
  if (known) return { isAuthorized: true, context: { ...known } };
  try {
    const claims = verifyAccess(token, now);
    const context = contextFromClaims(claims);
    verified.set(key, context, claims.exp * 1000);
    return { isAuthorized: true, context: { ...context } };
  } catch (error) {
    logger.info("denied", { reason: (error as Error).message, requestId: event.requestContext?.requestId });
    return { isAuthorized: false };
  }
};
