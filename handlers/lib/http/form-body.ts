import { InvalidRequestError } from "../domain/errors.js";
import type { HttpEvent } from "./event.js";
import { boundedBody, requireMediaType } from "./json-body.js";

/** The body type of the OAuth endpoints (RFC 6749 §3.2, §4.1.3; RFC 7009 §2.1). */
export const FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

/**
 * A parsed form body. Names are looked up exactly; a parameter sent without a value is as
 * if omitted (RFC 6749 §3.2), so `get` answers undefined for both. Kept in a Map, so a
 * parameter named `__proto__` is just a name.
 */
export class FormParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  get(name: string): string | undefined {
    return this.values.get(name) || undefined;
  }
}

const MALFORMED = "body is not valid application/x-www-form-urlencoded (percent-encoded UTF-8)";

/**
 * Parses an `application/x-www-form-urlencoded` body (the WHATWG URL Standard's format, `+`
 * for space), strictly: only that Content-Type (else 415), at most MAX_BODY_BYTES, valid
 * UTF-8 and percent-encoding, and no parameter twice (RFC 6749 §3.2: "MUST NOT be included
 * more than once"), which is `invalid_request` naming it. A lenient parser would let two
 * layers read two different values out of one request. Unknown parameters are kept and
 * ignored by the caller (RFC 6749 §3.2).
 */
export function formBody(event: HttpEvent): FormParams {
  requireMediaType(event, FORM_MEDIA_TYPE);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(boundedBody(event));
  } catch (error) {
    if (error instanceof InvalidRequestError) throw error;
    throw new InvalidRequestError(MALFORMED);
  }
  const values = new Map<string, string>();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const cut = pair.indexOf("=");
    const name = decode(cut === -1 ? pair : pair.slice(0, cut));
    const value = cut === -1 ? "" : decode(pair.slice(cut + 1));
    if (values.has(name)) throw new InvalidRequestError(`${printable(name)} must not be sent more than once`);
    values.set(name, value);
  }
  return new FormParams(values);
}

/** decodeURIComponent refuses a bad `%` sequence and percent-encoded bytes that are not UTF-8. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    throw new InvalidRequestError(MALFORMED);
  }
}

/** A parameter name as an error description may quote it: short, quoted, controls escaped. */
const printable = (name: string): string => JSON.stringify(name.slice(0, 64));
