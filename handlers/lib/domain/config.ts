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
  /** Leeway for `exp`/`nbf` checks; DESIGN.md caps it at 60 s. */
  clockToleranceSeconds: number;
}
