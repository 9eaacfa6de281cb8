import { AuthError, InvalidRequestError } from "./errors.js";
import { describeError, type Logger } from "./logger.js";

/**
 * The parts of an API Gateway HTTP API (v2, payload format 2.0) event this service reads.
 * Declared here rather than imported from AWS types so domain and tests stay AWS-free.
 */
export interface HttpEvent {
  headers?: Record<string, string | undefined>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    requestId: string;
    http: { method: string; path: string; sourceIp?: string };
    authorizer?: { lambda?: Record<string, unknown> };
  };
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
  cookies?: string[];
}

/** Bodies above 16 KiB are refused before parsing: no credential needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

const BASE_HEADERS = {
  "content-type": "application/json",
  // Auth responses carry tokens or account data: never cache them (RFC 6749 §5.1).
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export const noContent = (cookies?: string[]): HttpResult => ({
  statusCode: 204,
  headers: { "cache-control": "no-store" },
  ...(cookies ? { cookies } : {}),
});

/** Parses a JSON object body; anything else is `invalid_request` saying what is wrong. */
export function jsonBody(event: HttpEvent): Record<string, unknown> {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > MAX_BODY_BYTES) throw new InvalidRequestError(`body must be at most ${MAX_BODY_BYTES} bytes`);
  if (bytes.length === 0) throw new InvalidRequestError("body must be a JSON object");
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InvalidRequestError("body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError("body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** Reads a cookie from the v2 `cookies` array (API Gateway splits the Cookie header into it). */
export function cookie(event: HttpEvent, name: string): string | undefined {
  for (const entry of event.cookies ?? []) {
    const index = entry.indexOf("=");
    if (index > 0 && entry.slice(0, index).trim() === name) return entry.slice(index + 1).trim();
  }
  return undefined;
}

/**
 * THE error-to-HTTP mapping. Domain errors become the OAuth 2.0 error shape
 * (RFC 6749 §5.2); anything else becomes a bare 500 whose detail stays in the log.
 */
export function errorResponse(error: unknown, logger: Logger, requestId?: string): HttpResult {
  if (error instanceof AuthError) {
    const log = error.status >= 500 ? logger.error : logger.info;
    log("request refused", { requestId, status: error.status, code: error.code, ...describeError(error) });
    const headers: Record<string, string> =
      error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : {};
    return json(error.status, { error: error.code, error_description: error.description }, headers);
  }
  logger.error("unexpected error", { requestId, ...describeError(error), stack: (error as Error)?.stack });
  return json(500, { error: "server_error", error_description: "the server could not complete the request" });
}

/** Wraps a route function into a Lambda handler: every throw becomes a mapped response. */
export function httpHandler(
  logger: Logger,
  route: (event: HttpEvent) => Promise<HttpResult>,
): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    try {
      return await route(event);
    } catch (error) {
      return errorResponse(error, logger, event.requestContext?.requestId);
    }
  };
}
