import type { Config } from "./config.js";
import { InvalidRequestError } from "./errors.js";

export const MAX_EMAIL_LENGTH = 254;
export const MAX_PASSWORD_LENGTH = 256;

/** What register and login receive, after normalisation. */
export interface Credentials {
  tenant: string;
  email: string;
  password: string;
}

/**
 * Email as the account key: trimmed, NFKC, lower-cased, at most 254 characters
 * (RFC 5321 path limit), exactly one `@` with text on both sides, no whitespace.
 */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().normalize("NFKC").toLowerCase();
  if (email.length === 0) throw new InvalidRequestError("email must not be empty");
  if (email.length > MAX_EMAIL_LENGTH) {
    throw new InvalidRequestError(`email must be at most ${MAX_EMAIL_LENGTH} characters`);
  }
  const parts = email.split("@");
  if (parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) {
    throw new InvalidRequestError("email must be an address like name@example.com");
  }
  return email;
}

/** NFKC so the same password typed on different keyboards hashes the same. */
export const normalizePassword = (raw: string): string => raw.normalize("NFKC");

/** Length counted in code points, so an emoji counts as one character. */
const length = (text: string): number => [...text].length;

/**
 * Reads `{email, password, tenant?}`. Registration enforces the password policy;
 * login checks only shape and the upper bound, so a later policy change never locks
 * out existing users and a login reveals nothing about the policy.
 */
export function readCredentials(
  body: Record<string, unknown>,
  config: Config,
  purpose: "register" | "login",
): Credentials {
  const email = normalizeEmail(stringField(body, "email"));
  const password = normalizePassword(stringField(body, "password"));
  const tenant = readTenant(body, config);
  if (password.length === 0) throw new InvalidRequestError("password must not be empty");
  if (length(password) > MAX_PASSWORD_LENGTH) {
    throw new InvalidRequestError(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (purpose === "register") {
    if (length(password) < config.passwordMinLength) {
      throw new InvalidRequestError(`password must be at least ${config.passwordMinLength} characters`);
    }
    if (password.toLowerCase() === email) {
      throw new InvalidRequestError("password must not be the email address");
    }
  }
  return { tenant, email, password };
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
