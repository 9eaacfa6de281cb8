import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { InvalidRequestError } from "./errors.js";

/**
 * TOTP (RFC 6238) as every authenticator app supports it: HMAC-SHA-1, 6 digits, 30-second
 * steps, computed by `otpauth` rather than by hand. Pure: the caller passes the time.
 */
export const TOTP_PARAMETERS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** RFC 4226 §4 R6: at least 128 bits, 160 recommended. */
export const TOTP_SECRET_BYTES = 20;
/** RFC 6238 §5.2: at most one step of clock drift either way. */
export const TOTP_WINDOW = 1;

const CODE = /^\d{6}$/;

/** A fresh random secret (20 bytes). */
export const newTotpSecret = (): Uint8Array => new Uint8Array(randomBytes(TOTP_SECRET_BYTES));

/** The secret as authenticator apps take it when typed: base32 (RFC 4648), no padding. */
export const base32Of = (secret: Uint8Array): string => new Secret({ buffer: copyOf(secret) }).base32;

/** The `otpauth://totp/<issuer>:<account>?...` URI (Google's Key Uri Format) a QR code carries. */
export function totpUri(secret: Uint8Array, issuer: string, account: string): string {
  return totp(secret, issuer, account).toString();
}

/** The step (RFC 6238 T) that `now` (epoch ms) falls in. */
export const stepAt = (now: number): number => TOTP.counter({ period: TOTP_PARAMETERS.period, timestamp: now });

/** The code of `step`: what an authenticator shows during it (tests compute codes with it). */
export const codeAt = (secret: Uint8Array, step: number): string =>
  TOTP.generate({ secret: new Secret({ buffer: copyOf(secret) }), ...TOTP_PARAMETERS, timestamp: step * TOTP_PARAMETERS.period * 1000 });

/**
 * The step whose code `code` is, within ±1 step of `now`, or undefined. Whether that step
 * may still be used (never twice: RFC 6238 §5.2) is for the caller to settle, in one
 * conditional write.
 */
export function matchingStep(secret: Uint8Array, code: string, now: number): number | undefined {
  const delta = TOTP.validate({ token: code, secret: new Secret({ buffer: copyOf(secret) }), ...TOTP_PARAMETERS, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? undefined : stepAt(now) + delta;
}

/** A code as typed: spaces dropped (apps show `123 456`), then exactly six digits. */
export function readTotpCode(raw: string, field = "code"): string {
  const code = raw.replace(/\s/g, "");
  if (!CODE.test(code)) throw new InvalidRequestError(`${field} must be the 6-digit code from the authenticator app`);
  return code;
}

const totp = (secret: Uint8Array, issuer: string, label: string) =>
  new TOTP({ issuer, label, secret: new Secret({ buffer: copyOf(secret) }), ...TOTP_PARAMETERS });

/** otpauth keeps the buffer it is given: give it its own. */
const copyOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
