import { InvalidRequestError, UnsupportedMediaTypeError } from "../domain/errors.js";
import { header, type HttpEvent } from "./event.js";

/** Bodies above 16 KiB are refused before parsing: no credential needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

export const JSON_MEDIA_TYPE = "application/json";

/**
 * A body must be declared `application/json` (RFC 8259 §11; OWASP ASVS 4.0.3 V13.1.5),
 * the media type case-insensitive, parameters allowed, but a `charset` other than UTF-8
 * refused (RFC 8259 §8.1). Anything else is a 415, notably `text/plain` and the form
 * types, which a cross-site HTML form or a "simple" fetch sends without a CORS preflight
 * (login CSRF). `application/*+json` types are refused too: this API speaks one format.
 */
export function requireJsonContentType(event: Pick<HttpEvent, "headers">): void {
  requireMediaType(event, JSON_MEDIA_TYPE);
}

/**
 * The one media type a route takes (lower case), matched case-insensitively with parameters
 * allowed, but a `charset` other than UTF-8 refused; anything else is a 415. The JSON routes
 * and the form routes (/oauth/*, http/form-body.ts) share it.
 */
export function requireMediaType(event: Pick<HttpEvent, "headers">, expected: string): void {
  const [mediaType, ...parameters] = (header(event, "content-type") ?? "").split(";");
  if (mediaType.trim().toLowerCase() !== expected) {
    throw new UnsupportedMediaTypeError(`unsupported Content-Type: expected ${expected}`);
  }
  for (const parameter of parameters) {
    const [name, value = ""] = parameter.split("=", 2).map((part) => part.trim().toLowerCase());
    if (name === "charset" && value.replace(/^"(.*)"$/, "$1") !== "utf-8") {
      throw new UnsupportedMediaTypeError(`unsupported charset: expected ${expected} in UTF-8`);
    }
  }
}

/**
 * Parses a JSON object body. A wrong Content-Type is a 415; anything else wrong is
 * `invalid_request` saying what.
 */
export function jsonBody(event: HttpEvent): Record<string, unknown> {
  requireJsonContentType(event);
  const bytes = boundedBody(event);
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

/** The body's bytes (API Gateway base64-encodes what it does not take for text), refused above MAX_BODY_BYTES. */
export function boundedBody(event: Pick<HttpEvent, "body" | "isBase64Encoded">): Buffer {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > MAX_BODY_BYTES) throw new InvalidRequestError(`body must be at most ${MAX_BODY_BYTES} bytes`);
  return bytes;
}
