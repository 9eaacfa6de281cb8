import type { Config } from "./config.js";
import { InvalidRequestError } from "./errors.js";

export const MAX_EMAIL_LENGTH = 254;
export const MAX_PASSWORD_LENGTH = 256;

/** An account as a request names it: `{email, tenant?}`, normalised. */
export interface Account {
  tenant: string;
  email: string;
}

/** What register and login receive, after normalisation. */
export interface Credentials extends Account {
  password: string;
}

/**
 * Lone surrogates (half of a UTF-16 pair) are not text: encoding to UTF-8, as the table
 * and argon2 do, turns each into U+FFFD, so `x\ud800` and `x\udfff` would be one account
 * and one password.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Characters that show nothing or change how the rest shows, so `a\u200bdmin` looks like
 * `admin` (RFC 8264 §9.13 IgnorableProperties, which PRECIS identifiers disallow): format
 * characters (\p{Cf}: zero-width joiners and spaces, bidi controls, soft hyphen, tags),
 * the other default-ignorable code points (variation selectors, Hangul fillers) and
 * noncharacters.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;

/**
 * Email as the account key: trimmed, NFKC, lower-cased, at most 254 characters
 * (RFC 5321 path limit), exactly one `@` with text on both sides, no whitespace, controls
 * or invisible characters, well-formed UTF-16. This follows RFC 8265's UsernameCaseMapped
 * where it changes no existing key: NFKC already does its width mapping, and the
 * characters refused here are ones PRECIS disallows; its limits on symbols and its bidi
 * rule are not applied, since email addresses (RFC 6531) allow them.
 */
export function normalizeEmail(raw: string): string {
  if (LONE_SURROGATE.test(raw)) throw new InvalidRequestError("email must be well-formed Unicode (it contains a lone surrogate)");
  const email = raw.trim().normalize("NFKC").toLowerCase();
  if (email.length === 0) throw new InvalidRequestError("email must not be empty");
  if (email.length > MAX_EMAIL_LENGTH) {
    throw new InvalidRequestError(`email must be at most ${MAX_EMAIL_LENGTH} characters`);
  }
  if (INVISIBLE.test(email)) throw new InvalidRequestError("email must not contain invisible or format characters");
  const parts = email.split("@");
  if (parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) {
    throw new InvalidRequestError("email must be an address like name@example.com");
  }
  return email;
}

/**
 * NFKC so the same password typed on different keyboards hashes the same. RFC 8265's
 * OpaqueString would use NFC; NFKC stays because changing it would change the hash input
 * of existing passwords and lock their owners out (it already maps the non-ASCII spaces
 * OpaqueString maps). Lone surrogates are refused everywhere, login included: they would
 * make distinct passwords equal.
 */
export function normalizePassword(raw: string): string {
  if (LONE_SURROGATE.test(raw)) throw new InvalidRequestError("password must be well-formed Unicode (it contains a lone surrogate)");
  return raw.normalize("NFKC");
}

/** Length counted in code points, so an emoji counts as one character. */
export const length = (text: string): number => [...text].length;

/**
 * Reads `{email, password, tenant?}`, checking only shape and the upper bound: what login
 * needs, so a later policy change never locks out existing users and a login reveals
 * nothing about the policy. New passwords also pass `readNewCredentials` (new-password.ts).
 */
export function readCredentials(body: Record<string, unknown>, config: Config): Credentials {
  const email = normalizeEmail(stringField(body, "email"));
  const password = readPassword(body, "password");
  return { tenant: readTenant(body, config), email, password };
}

/** A password field, normalised, non-empty and at most 256 characters; no policy (see new-password.ts). */
export function readPassword(body: Record<string, unknown>, name: string): string {
  const password = normalizePassword(stringField(body, name));
  if (password.length === 0) throw new InvalidRequestError(`${name} must not be empty`);
  if (length(password) > MAX_PASSWORD_LENGTH) {
    throw new InvalidRequestError(`${name} must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}

/** Reads `{email, tenant?}` (verification resend, forgot password). */
export function readAccount(body: Record<string, unknown>, config: Config): Account {
  return { email: normalizeEmail(stringField(body, "email")), tenant: readTenant(body, config) };
}

/** `tenant` is optional and defaults to the deployment's default tenant. */
export function readTenant(body: Record<string, unknown>, config: Config): string {
  if (body.tenant === undefined) return config.defaultTenant;
  const tenant = stringField(body, "tenant").trim();
  if (!config.tenants.includes(tenant)) {
    throw new InvalidRequestError(`tenant "${tenant.slice(0, 64)}" is not served here`);
  }
  return tenant;
}

/** A required string field; the error names the field and what was wrong. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw new InvalidRequestError(`${name} is required`);
  if (typeof value !== "string") throw new InvalidRequestError(`${name} must be a string`);
  return value;
}
