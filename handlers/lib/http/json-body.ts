import { InvalidRequestError } from "../domain/errors.js";
import type { HttpEvent } from "./event.js";

/** Bodies above 16 KiB are refused before parsing: no credential needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

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
