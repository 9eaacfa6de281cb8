import { InvalidRequestError } from "../domain/errors.js";
/**
 * The parts of an API Gateway HTTP API (v2, payload format 2.0) event this service reads.
 * Declared here rather than imported from AWS types so domain and tests stay AWS-free.
 */
export interface HttpEvent {
  headers?: Record<string, string | undefined>;
  cookies?: string[];
  /** Values of `{name}` segments in the route's path. */
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    requestId: string;
    /** The host the client called (the API's or its custom domain); with a port locally. */
    domainName?: string;
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

/**
 * A request header by its lower-case name, matched case-insensitively: API Gateway
 * lower-cases names in payload 2.0, but a direct invocation (a test, the console) may not.
 */
export function header(event: Pick<HttpEvent, "headers">, name: string): string | undefined {
  const headers = event.headers ?? {};
  if (headers[name] !== undefined) return headers[name];
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Reads a cookie from the v2 `cookies` array (API Gateway splits the Cookie header into it). */
export function cookie(event: HttpEvent, name: string): string | undefined {
  for (const entry of event.cookies ?? []) {
    const index = entry.indexOf("=");
    if (index > 0 && entry.slice(0, index).trim() === name) return entry.slice(index + 1).trim();
  }
  return undefined;
}

/** A `{name}` segment of the route's path; API Gateway only routes a request that has it. */
export function pathParameter(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new InvalidRequestError(`${name} is required in the path`);
  return value;
}
