import { AuthError } from "../domain/errors.js";
import type { Logger } from "../domain/logger.js";
import { json, type HttpEvent, type HttpResult } from "./event.js";

/** Where a route answers, when that changes how an error maps. */
export interface ErrorMapping {
  /**
   * The OAuth token endpoint (POST /oauth/token): RFC 6749 §5.2 answers every error there
   * with 400, `invalid_client` alone with 401. The /auth/* routes keep 401 for
   * `invalid_grant` (wrong credentials), as clients of the v1 contract expect.
   */
  oauthTokenEndpoint?: boolean;
}

/**
 * THE error-to-HTTP mapping. Domain errors become the OAuth 2.0 error shape
 * (RFC 6749 §5.2); anything else becomes a bare 500 whose detail stays in the log.
 */
export function errorResponse(error: unknown, logger: Logger, requestId?: string, mapping: ErrorMapping = {}): HttpResult {
  if (error instanceof AuthError) {
    const status = mapping.oauthTokenEndpoint && error.code === "invalid_grant" ? 400 : error.status;
    const log = status >= 500 ? logger.error : logger.info;
    log("request refused", { requestId, status, code: error.code, ...describeError(error) });
    const headers: Record<string, string> =
      error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : {};
    return json(status, { error: error.code, error_description: error.description }, headers);
  }
  logger.error("unexpected error", { requestId, ...describeError(error), stack: (error as Error)?.stack });
  return json(500, { error: "server_error", error_description: "the server could not complete the request" });
}

/** Wraps a route function into a Lambda handler: every throw becomes a mapped response. */
export function httpHandler(
  logger: Logger,
  route: (event: HttpEvent) => Promise<HttpResult>,
  mapping: ErrorMapping = {},
): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    try {
      return await route(event);
    } catch (error) {
      return errorResponse(error, logger, event.requestContext?.requestId, mapping);
    }
  };
}

/** What the log may say about an error: its class and message, plus the cause chain's. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return {
    error: error.name,
    detail: error.message,
    ...(error.cause !== undefined ? { cause: describeError(error.cause) } : {}),
  };
}
