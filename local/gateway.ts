/**
 * A local stand-in for API Gateway HTTP API (v2): serves THE route table, turns each
 * request into a payload 2.0 event, runs protected routes through the REQUEST authorizer
 * with API Gateway's caching and its 401/403/404/500 answers, and maps the Lambda result
 * back to HTTP.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { CORS, type Route } from "../handlers/routes.js";
import { staticFiles, type StaticFiles } from "./static-files.js";

/** A Lambda handler as the bundles export it. */
export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface GatewayOptions {
  routes: readonly Route[];
  /** Functions by name, read at request time (so they may be loaded after the port is bound). */
  functions: Readonly<Record<string, LambdaHandler>>;
  /** Name of the REQUEST authorizer among `functions`. */
  authorizer: string;
  /** Seconds an authorizer result is reused for the same Authorization header; 0 disables. */
  authorizerCacheTtlSeconds: number;
  /** Browser origins allowed by CORS ("*" for any); none: no CORS headers, as without cors_configuration. */
  corsAllowedOrigins?: readonly string[];
  /** Files for GETs that no route matches (API routes keep precedence); default: the demo app. */
  staticFiles?: StaticFiles;
  log?: (line: string) => void;
  now?: () => number;
}

/** API Gateway's payload limit for HTTP APIs is 10 MB; anything bigger is refused before Lambda. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/** API Gateway's own answers carry `{"message": ...}`, not the service's OAuth shape. */
const gatewayAnswer = (status: number, message: string): Answer => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ message }),
});

export function createGateway(options: GatewayOptions): Server {
  const now = options.now ?? Date.now;
  const files = options.staticFiles ?? staticFiles();
  const cache = new Map<string, { expires: number; result: { isAuthorized: boolean; context?: Record<string, unknown> } }>();

  /** The authorizer's context, or API Gateway's refusal. */
  async function authorize(route: Route, event: V2Event): Promise<{ denied: Answer } | { context: Record<string, unknown> }> {
    const identity = event.headers.authorization;
    // API Gateway refuses a missing identity source itself, without invoking the authorizer.
    if (!identity) return { denied: gatewayAnswer(401, "Unauthorized") };
    let cached = cache.get(identity);
    if (!cached || cached.expires <= now()) {
      const authorizerEvent = {
        ...event,
        type: "REQUEST",
        routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${route.method}${route.path}`,
        identitySource: [identity],
      };
      delete (authorizerEvent as Partial<V2Event>).body;
      const result = (await options.functions[options.authorizer](authorizerEvent, lambdaContext(options.authorizer))) as {
        isAuthorized?: unknown;
        context?: Record<string, unknown>;
      };
      cached = { expires: now() + options.authorizerCacheTtlSeconds * 1000, result: { isAuthorized: result?.isAuthorized === true, context: result?.context } };
      if (options.authorizerCacheTtlSeconds > 0) cache.set(identity, cached);
    }
    // Simple responses: isAuthorized false is a 403, as API Gateway answers it.
    if (!cached.result.isAuthorized) return { denied: gatewayAnswer(403, "Forbidden") };
    return { context: cached.result.context ?? {} };
  }

  /** CORS response headers for an allowed origin; credentials only without a wildcard. */
  function corsHeaders(origin: string | undefined): Record<string, string> {
    const origins = options.corsAllowedOrigins ?? [];
    const wildcard = origins.includes("*");
    if (!origin || !(wildcard || origins.includes(origin))) return {};
    return wildcard ? { "access-control-allow-origin": "*" } : { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "origin" };
  }

  async function answer(request: IncomingMessage, body: Buffer): Promise<Answer> {
    const url = new URL(request.url ?? "/", "http://localhost");
    // With CORS configured, API Gateway answers preflight requests itself.
    if (request.method === "OPTIONS" && options.corsAllowedOrigins?.length && request.headers["access-control-request-method"]) {
      const allowed = corsHeaders(request.headers.origin);
      const preflight = Object.keys(allowed).length
        ? { ...allowed, "access-control-allow-methods": CORS.allowMethods.join(","), "access-control-allow-headers": CORS.allowHeaders.join(","), "access-control-max-age": String(CORS.maxAgeSeconds) }
        : {};
      return { status: 204, headers: preflight, body: "" };
    }
    const matched = matchRoute(options.routes, request.method ?? "", url.pathname);
    if (!matched) return (await files(request.method ?? "", url.pathname)) ?? gatewayAnswer(404, "Not Found");
    const { route, pathParameters } = matched;
    // The port is bound before the bundles load (APP_URL defaults to the URL): ask callers to retry.
    if (!options.functions[route.handler]) return gatewayAnswer(503, "Service Unavailable");
    const event = toV2Event(request, url, route, body, now());
    if (Object.keys(pathParameters).length) event.pathParameters = pathParameters;
    // Bearer and strict alike: the strict session check is the function's.
    if (route.auth !== "none") {
      const outcome = await authorize(route, event);
      if ("denied" in outcome) return outcome.denied;
      event.requestContext.authorizer = { lambda: outcome.context };
    }
    return fromLambdaResult(await options.functions[route.handler](event, lambdaContext(route.handler)));
  }

  return createServer((request, response) => {
    const started = performance.now();
    readBody(request)
      .then((body) => (body ? answer(request, body) : gatewayAnswer(413, "Request Entity Too Large")))
      .catch(() => gatewayAnswer(500, "Internal Server Error"))
      .then((result) => {
        send(response, { ...result, headers: { ...result.headers, ...corsHeaders(request.headers.origin) } });
        // One JSON line, like the stage's access log. The path without its query: mail links
        // carry single-use tokens there, and nothing secret is logged.
        const path = (request.url ?? "/").split("?")[0];
        const latencyMs = Number((performance.now() - started).toFixed(1));
        options.log?.(JSON.stringify({ level: "info", time: new Date().toISOString(), service: "gateway", message: "request", method: request.method, path, status: result.status, latencyMs }));
      });
  });
}

/**
 * The route for a method and path, as API Gateway matches them: a `{name}` segment matches
 * any one non-empty segment and becomes a path parameter (URL-decoded).
 */
function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; pathParameters: Record<string, string> } | undefined {
  const segments = path.split("/");
  for (const route of routes) {
    const pattern = route.path.split("/");
    if (route.method !== method || pattern.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part === segments[i];
      if (!segments[i]) return false;
      try {
        pathParameters[name] = decodeURIComponent(segments[i]);
      } catch {
        return false;
      }
      return true;
    });
    if (matches) return { route, pathParameters };
  }
  return undefined;
}

interface V2Event {
  version: "2.0";
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    authorizer?: { lambda: Record<string, unknown> };
  };
  body?: string;
  isBase64Encoded: boolean;
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|[^;]*\+json)/i;

/** Payload format 2.0: lower-cased headers (repeats joined by commas), cookies split out. */
function toV2Event(request: IncomingMessage, url: URL, route: Route, body: Buffer, time: number): V2Event {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(",") : value;
    if (name === "cookie") cookies = joined.split(";").map((c) => c.trim()).filter(Boolean);
    else headers[name] = joined;
  }
  // API Gateway sets these itself (its scheme is always https; here it is http).
  headers["x-forwarded-proto"] = "http";
  headers["x-forwarded-port"] = String(request.socket.localPort ?? "");
  headers["x-forwarded-for"] = request.socket.remoteAddress ?? "127.0.0.1";
  const query = Object.fromEntries(url.searchParams);
  const contentType = headers["content-type"] ?? "";
  const text = body.length === 0 || TEXT_TYPES.test(contentType);
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: new Date(time).toUTCString(),
      timeEpoch: time,
    },
    ...(body.length ? { body: text ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: !text,
  };
}

/** Maps a payload 2.0 Lambda result; a result without `statusCode` is a 200 JSON body, as API Gateway infers. */
function fromLambdaResult(result: unknown): Answer {
  const value = result as { statusCode?: number; headers?: Record<string, string>; body?: string; cookies?: string[]; isBase64Encoded?: boolean };
  if (!value || typeof value !== "object" || typeof value.statusCode !== "number") {
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result) };
  }
  const headers: Record<string, string | string[]> = { ...value.headers };
  if (value.cookies?.length) headers["set-cookie"] = value.cookies;
  const body = value.body ?? "";
  return { status: value.statusCode, headers, body: value.isBase64Encoded ? Buffer.from(body, "base64") : body };
}

function lambdaContext(functionName: string) {
  return { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => 30_000 };
}

/** Reads the body; resolves undefined when it exceeds the payload limit. */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, answer: Answer): void {
  const body = typeof answer.body === "string" ? Buffer.from(answer.body) : answer.body;
  response.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
  response.end(body);
}
