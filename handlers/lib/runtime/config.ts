import type { Config, Limits } from "../domain/config.js";
import type { Level } from "../domain/logger.js";
import type { MailSettings } from "../domain/mailer.js";
import type { MfaSettings } from "../domain/deps.js";
import { ConfigError } from "../domain/errors.js";
import type { CookieSettings } from "../http/token-response.js";

// Configuration is read once per cold start from environment variables. Every variable is
// validated up front so a bad deployment fails at start with the variable's name, not at the
// first request that happens to need it.

/** Tenant names are part of item keys (`USER#<tenant>#<email>`), so `#` and spaces are out. */
const TENANT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The process environment, or any map like it (tests pass plain objects). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration every function shares. */
export function loadConfig(env: Env): Config {
  const tenants = list(env, "TENANTS");
  const badTenant = tenants.find((tenant) => !TENANT_NAME.test(tenant));
  if (badTenant !== undefined) {
    throw new ConfigError("TENANTS", `entry "${badTenant}" must match ${TENANT_NAME} (it becomes part of item keys and the token audience)`);
  }
  const defaultTenant = optional(env, "DEFAULT_TENANT") ?? tenants[0];
  if (!tenants.includes(defaultTenant)) {
    throw new ConfigError("DEFAULT_TENANT", `must be one of TENANTS (${tenants.join(", ")})`);
  }
  return {
    issuer: required(env, "ISSUER"),
    tenants,
    defaultTenant,
    accessTokenTtlSeconds: integer(env, "ACCESS_TOKEN_TTL_SECONDS", 900, 60, 86_400),
    refreshTokenTtlSeconds: integer(env, "REFRESH_TOKEN_TTL_SECONDS", 2_592_000, 300, 31_536_000),
    refreshReuseGraceSeconds: integer(env, "REFRESH_REUSE_GRACE_SECONDS", 10, 0, 60),
    passwordMinLength: integer(env, "PASSWORD_MIN_LENGTH", 12, 8, 128),
    clockToleranceSeconds: integer(env, "CLOCK_TOLERANCE_SECONDS", 60, 0, 60),
    emailVerificationTtlSeconds: integer(env, "EMAIL_VERIFICATION_TTL_SECONDS", 86_400, 300, 604_800),
    passwordResetTtlSeconds: integer(env, "PASSWORD_RESET_TTL_SECONDS", 1800, 300, 86_400),
    requireEmailVerification: boolean(env, "REQUIRE_EMAIL_VERIFICATION", true),
  };
}

/**
 * `CORS_ALLOWED_ORIGINS`: comma-separated browser origins (`scheme://host[:port]`, exactly
 * as a browser sends `Origin`) or `*`; none by default. CORS (the stack, the local
 * gateway) and the refresh cookie's origin check both read it.
 */
export function allowedOrigins(env: Env): string[] {
  const origins = entries(optional(env, "CORS_ALLOWED_ORIGINS") ?? "");
  const bad = origins.find((origin) => origin !== "*" && !isOrigin(origin));
  if (bad !== undefined) {
    throw new ConfigError("CORS_ALLOWED_ORIGINS", `entry "${bad}" must be an origin like https://app.example.com (lower-case scheme, host and port, no path) or *`);
  }
  return origins;
}

const isOrigin = (value: string): boolean => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
};

const LOG_LEVELS: readonly Level[] = ["debug", "info", "warn", "error"];

/** `LOG_LEVEL`: `info` by default; anything else but the four levels stops the cold start. */
export function logLevel(env: Env): Level {
  const raw = optional(env, "LOG_LEVEL");
  if (raw === undefined) return "info";
  if (!LOG_LEVELS.includes(raw as Level)) throw new ConfigError("LOG_LEVEL", `must be debug, info, warn or error, got "${raw}"`);
  return raw as Level;
}

/** Reads and validates the brute-force and abuse limits (login, register and refresh). */
export function loadLimits(env: Env): Limits {
  const lockoutBaseSeconds = integer(env, "LOCKOUT_BASE_SECONDS", 30, 1, 3600);
  const lockoutMaxSeconds = integer(env, "LOCKOUT_MAX_SECONDS", 900, 1, 86_400);
  // Never below the first lock, so each doubling only lengthens it.
  if (lockoutMaxSeconds < lockoutBaseSeconds) {
    throw new ConfigError("LOCKOUT_MAX_SECONDS", `must be at least LOCKOUT_BASE_SECONDS (${lockoutBaseSeconds}), got ${lockoutMaxSeconds}`);
  }
  return {
    lockoutMaxFailures: integer(env, "LOCKOUT_MAX_FAILURES", 5, 1, 20),
    lockoutBaseSeconds,
    lockoutMaxSeconds,
    sourceWindowSeconds: integer(env, "SOURCE_WINDOW_SECONDS", 300, 10, 86_400),
    sourceFailedLoginsPerWindow: integer(env, "SOURCE_FAILED_LOGINS_PER_WINDOW", 100, 1, 1_000_000),
    sourceSignupsPerWindow: integer(env, "SOURCE_SIGNUPS_PER_WINDOW", 20, 1, 1_000_000),
    accountEmailsPerWindow: integer(env, "ACCOUNT_EMAILS_PER_WINDOW", 3, 1, 100),
    emailRequestMinMs: integer(env, "EMAIL_REQUEST_MIN_MS", 1000, 0, 10_000),
  };
}

export function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, "is required");
  return value;
}

export function optional(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

/** The non-empty entries of a comma-separated value, trimmed. */
const entries = (raw: string): string[] =>
  raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** A comma-separated list with at least one non-empty entry. */
export function list(env: Env, name: string): string[] {
  const items = entries(required(env, name));
  if (items.length === 0) throw new ConfigError(name, "must list at least one value");
  return items;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (raw !== "true" && raw !== "false") throw new ConfigError(name, `must be true or false, got "${raw}"`);
  return raw === "true";
}

/** An address as SES takes it in `FromEmailAddress`: lower-case, no display name. */
const EMAIL_ADDRESS = /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
/** SES configuration set names: letters, digits, `_` and `-`, up to 64. */
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Reads and validates what mail needs (functions that send): `EMAIL_FROM`,
 * `SES_CONFIGURATION_SET` (optional) and `APP_URL`, the base of every link in a message.
 * APP_URL must be https, except on loopback (`npm start`): links carry single-use tokens,
 * which a plain-http link would expose on the way.
 */
export function loadMailSettings(env: Env): MailSettings {
  const from = required(env, "EMAIL_FROM");
  if (!EMAIL_ADDRESS.test(from)) {
    throw new ConfigError("EMAIL_FROM", `must be a lower-case email address like no-reply@example.com, got "${from}"`);
  }
  const configurationSet = optional(env, "SES_CONFIGURATION_SET");
  if (configurationSet !== undefined && !CONFIGURATION_SET.test(configurationSet)) {
    throw new ConfigError("SES_CONFIGURATION_SET", `must be an SES configuration set name (letters, digits, _ and -, at most 64), got "${configurationSet}"`);
  }
  return { from, ...(configurationSet ? { configurationSet } : {}), appUrl: appUrl(required(env, "APP_URL")) };
}

/** The app's base URL without a trailing slash, so `${appUrl}/verify-email` is always one slash. */
function appUrl(raw: string): string {
  const bad = (problem: string) => new ConfigError("APP_URL", `${problem}, got "${raw}"`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad("must be an absolute URL like https://app.example.com");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) {
    throw bad("must be an https URL (http only for localhost)");
  }
  if (url.username || url.password || url.search || url.hash || raw.includes("?") || raw.includes("#")) {
    throw bad("must have no credentials, query or fragment");
  }
  return url.href.replace(/\/+$/, "");
}

/** A cookie Domain: a lower-case DNS name, no leading dot (RFC 6265 §5.2.3 ignores it anyway). */
const COOKIE_DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/**
 * The refresh cookie's attributes (functions that set or clear it: login, refresh, logout,
 * account deletion): REFRESH_COOKIE_SAME_SITE (Strict), REFRESH_COOKIE_DOMAIN (none: host-only),
 * REFRESH_COOKIE_PATH (/auth), REFRESH_COOKIE_SECURE (true). SameSite=None without Secure is
 * refused: browsers drop such a cookie (RFC 6265bis §5.4.7).
 */
export function loadCookieSettings(env: Env): CookieSettings {
  const sameSite = optional(env, "REFRESH_COOKIE_SAME_SITE") ?? "Strict";
  if (sameSite !== "Strict" && sameSite !== "Lax" && sameSite !== "None") {
    throw new ConfigError("REFRESH_COOKIE_SAME_SITE", `must be Strict, Lax or None, got "${sameSite}"`);
  }
  const secure = boolean(env, "REFRESH_COOKIE_SECURE", true);
  if (sameSite === "None" && !secure) throw new ConfigError("REFRESH_COOKIE_SAME_SITE", "None needs REFRESH_COOKIE_SECURE=true (browsers drop it otherwise)");
  const domain = optional(env, "REFRESH_COOKIE_DOMAIN");
  if (domain !== undefined && !COOKIE_DOMAIN.test(domain)) {
    throw new ConfigError("REFRESH_COOKIE_DOMAIN", `must be a lower-case domain like example.com, got "${domain}"`);
  }
  const path = optional(env, "REFRESH_COOKIE_PATH") ?? "/auth";
  // Refresh and logout live under /auth: a cookie path elsewhere would never reach them.
  if (!["/", "/auth"].includes(path)) throw new ConfigError("REFRESH_COOKIE_PATH", `must be /auth or /, got "${path}"`);
  return { sameSite, secure, path, ...(domain ? { domain } : {}) };
}

/** What Google's Key Uri Format allows in an issuer label: no colon (it separates issuer and account), printable, short. */
const MFA_ISSUER = /^[^:\x00-\x1f\x7f]{1,64}$/;

/**
 * `MFA_ISSUER`: the name authenticator apps show beside the account (the `otpauth://` URI's
 * issuer); by default the host name of `ISSUER`, e.g. auth.example.com.
 */
export function loadMfaSettings(env: Env, config: Pick<Config, "issuer"> = loadConfig(env)): MfaSettings {
  const issuer = optional(env, "MFA_ISSUER") ?? hostOf(config.issuer);
  if (!MFA_ISSUER.test(issuer)) throw new ConfigError("MFA_ISSUER", `must be 1 to 64 printable characters without ":", got "${issuer.slice(0, 80)}"`);
  return { issuer };
}

function hostOf(issuer: string): string {
  try {
    return new URL(issuer).hostname;
  } catch {
    throw new ConfigError("MFA_ISSUER", "is required when ISSUER is not a URL");
  }
}
