/**
 * Domain errors. Each carries the OAuth 2.0 error code (RFC 6749 §5.2) and HTTP status
 * it maps to; `http/error-response.ts` turns them into responses in one place. Callers branch on
 * the class or `code`, never on message text. `description` is safe to show a client;
 * `cause` is for the log only.
 */
export abstract class AuthError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Seconds a client should wait before retrying, sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;

  /**
   * The class's name, spelled out: bundles are minified without esbuild's keepNames (which
   * costs every closure a defineProperty), so a class's own name would be mangled.
   */
  abstract override readonly name: string;

  constructor(readonly description: string, options?: { cause?: unknown }) {
    super(description, options);
  }
}

/** 400: the request is malformed; the description names the bad field. */
export class InvalidRequestError extends AuthError {
  override readonly name = "InvalidRequestError";
  readonly code = "invalid_request";
  readonly status = 400;
}

/**
 * 415: the body is not `application/json`. Still `invalid_request` (RFC 6749 §5.2 has no
 * code of its own for it); the status tells clients and proxies what is wrong.
 */
export class UnsupportedMediaTypeError extends AuthError {
  override readonly name = "UnsupportedMediaTypeError";
  readonly code = "invalid_request";
  readonly status = 415;
}

/** 401: wrong credentials, or a bad, expired, reused or revoked refresh token. */
export class InvalidGrantError extends AuthError {
  override readonly name = "InvalidGrantError";
  readonly code = "invalid_grant";
  readonly status = 401;
}

/** 401 from protected routes: the access token does not identify a usable account. */
export class InvalidTokenError extends AuthError {
  override readonly name = "InvalidTokenError";
  readonly code = "invalid_token";
  readonly status = 401;
}

/** 403: the request came from a place not allowed to use it (a cookie refresh from a foreign origin). */
export class AccessDeniedError extends AuthError {
  override readonly name = "AccessDeniedError";
  readonly code = "access_denied";
  readonly status = 403;
}

/**
 * 403: the password was right but the deployment requires a verified email first
 * (`require_email_verification`). Given only after the password check, so it reveals
 * nothing to someone who does not know the password.
 */
export class EmailNotVerifiedError extends AuthError {
  override readonly name = "EmailNotVerifiedError";
  readonly code = "email_not_verified";
  readonly status = 403;
}

/** 404: the thing named in the path does not exist for this user (another user's alike). */
export class NotFoundError extends AuthError {
  override readonly name = "NotFoundError";
  readonly code = "not_found";
  readonly status = 404;
}

/** 409: an account with this email already exists in the tenant. */
export class UserExistsError extends AuthError {
  override readonly name = "UserExistsError";
  readonly code = "user_exists";
  readonly status = 409;
}

/** 409: MFA is already on for this account (enrolment, confirmation). */
export class MfaAlreadyEnabledError extends AuthError {
  override readonly name = "MfaAlreadyEnabledError";
  readonly code = "mfa_already_enabled";
  readonly status = 409;
}

/** 409: MFA is off for this account, so there is nothing to disable or regenerate. */
export class MfaNotEnabledError extends AuthError {
  override readonly name = "MfaNotEnabledError";
  readonly code = "mfa_not_enabled";
  readonly status = 409;
}

/** 409: a confirmation with no enrolment waiting for it (none started, or replaced meanwhile). */
export class MfaNotPendingError extends AuthError {
  override readonly name = "MfaNotPendingError";
  readonly code = "mfa_not_pending";
  readonly status = 409;
}

/** 429: too many attempts; retry after the given delay. */
export class TooManyAttemptsError extends AuthError {
  override readonly name = "TooManyAttemptsError";
  readonly code = "too_many_attempts";
  readonly status = 429;
  constructor(description: string, override readonly retryAfterSeconds: number) {
    super(description);
  }
}

/** 503: a dependency (table, key service) failed; the cause goes to the log only. */
export class TemporarilyUnavailableError extends AuthError {
  override readonly name = "TemporarilyUnavailableError";
  readonly code = "temporarily_unavailable";
  readonly status = 503;
  override readonly retryAfterSeconds = 1;
}

/** A missing or invalid configuration variable: fails the cold start, naming the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

/** 400 from the token endpoint: a `grant_type` it does not serve (RFC 6749 §5.2). */
export class UnsupportedGrantTypeError extends AuthError {
  override readonly name = "UnsupportedGrantTypeError";
  readonly code = "unsupported_grant_type";
  readonly status = 400;
}

/** 400 from the token endpoint: a `scope` beyond what was granted, which here is none (RFC 6749 §5.2, §6). */
export class InvalidScopeError extends AuthError {
  override readonly name = "InvalidScopeError";
  readonly code = "invalid_scope";
  readonly status = 400;
}
