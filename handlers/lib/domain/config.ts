/**
 * The configuration the domain reads. `runtime/config.ts` builds it once per cold start
 * from environment variables, validating every value up front.
 */
export interface Config {
  /** `iss` of every access token, and what the authorizer requires. */
  issuer: string;
  /** Tenants this deployment serves; a token's `aud` must be one of them. */
  tenants: readonly string[];
  defaultTenant: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * Seconds during which the refresh token just replaced still gets the current one
   * (concurrent refreshes); after that, presenting it revokes the session.
   */
  refreshReuseGraceSeconds: number;
  passwordMinLength: number;
  /** Leeway for `exp`/`nbf`/`iat` checks: "small" (RFC 7519 §4.1.4), here at most 60 s (CLOCK_TOLERANCE_SECONDS). */
  clockToleranceSeconds: number;
  /** Lifetime of an email-verification token (`domain/email-tokens.ts`). */
  emailVerificationTtlSeconds: number;
  /** Lifetime of a password-reset token: short, as it stands in for the password. */
  passwordResetTtlSeconds: number;
  /**
   * Sign-in needs a verified email, and register answers alike for new and taken addresses
   * (no 409), mailing the owner of a taken one instead.
   */
  requireEmailVerification: boolean;
}

/**
 * Brute-force and abuse limits, read by login, register and refresh only
 * (`runtime/config.ts` `loadLimits`).
 */
export interface Limits {
  /** Consecutive failures (per tenant and email) that lock the account. */
  lockoutMaxFailures: number;
  /** First lock; each further failure doubles it, up to `lockoutMaxSeconds`. */
  lockoutBaseSeconds: number;
  lockoutMaxSeconds: number;
  /** Fixed window of the per-source-address counters. */
  sourceWindowSeconds: number;
  /** Failed logins and refreshes one address may make per window. */
  sourceFailedLoginsPerWindow: number;
  /**
   * Registrations one address may make per window; mail requests (password reset,
   * verification resend) are counted apart under the same limit.
   */
  sourceSignupsPerWindow: number;
  /** Emails one account may be sent per window on unauthenticated requests (register, resend, forgot), whether or not it exists. */
  accountEmailsPerWindow: number;
  /**
   * Forgot-password and resend answer no sooner than this after they start, so an unknown
   * email (no mail to send) takes as long as a known one.
   */
  emailRequestMinMs: number;
}
