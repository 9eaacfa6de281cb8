/**
 * THE route table. The stack builds API Gateway routes from it and the local runtime
 * serves from it, so the deployed and the local API cannot drift.
 */
export type HandlerName =
  | "register"
  | "login"
  | "refresh"
  | "logout"
  | "me"
  | "jwks"
  | "sessions"
  | "end-session"
  | "change-password"
  | "delete-account"
  | "verify-email"
  | "resend-verification"
  | "forgot-password"
  | "reset-password"
  | "discovery"
  | "oauth-token"
  | "oauth-revoke"
  | "mfa-enrol"
  | "mfa-confirm"
  | "mfa-disable"
  | "mfa-recovery-codes"
  | "mfa-verify";

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** `{name}` segments match one path segment and reach the function as path parameters. */
  path: string;
  handler: HandlerName;
  /**
   * `none`: public. `bearer`: API Gateway runs the authorizer first (signature and claims,
   * no I/O). `strict`: bearer, plus the function confirms in one read that the session is
   * still live, so a sign-out takes effect at once (requireLiveSession).
   */
  auth: "none" | "bearer" | "strict";
  /**
   * `credentials`: a route that takes or mints credentials, throttled by API Gateway
   * below the stage limit (credential_route_rate_limit / _burst_limit); unset: the stage limit.
   */
  throttle?: "credentials";
}

export const routes: readonly Route[] = [
  { method: "POST", path: "/auth/register", handler: "register", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/login", handler: "login", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/refresh", handler: "refresh", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/logout", handler: "logout", auth: "bearer" },
  { method: "GET", path: "/me", handler: "me", auth: "bearer" },
  { method: "GET", path: "/.well-known/jwks.json", handler: "jwks", auth: "none" },
  { method: "GET", path: "/auth/sessions", handler: "sessions", auth: "strict" },
  { method: "DELETE", path: "/auth/sessions/{sid}", handler: "end-session", auth: "strict" },
  { method: "POST", path: "/auth/password", handler: "change-password", auth: "strict", throttle: "credentials" },
  { method: "DELETE", path: "/me", handler: "delete-account", auth: "strict", throttle: "credentials" },
  { method: "POST", path: "/auth/verify-email", handler: "verify-email", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/verify-email/resend", handler: "resend-verification", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/password/forgot", handler: "forgot-password", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/password/reset", handler: "reset-password", auth: "none", throttle: "credentials" },
  { method: "GET", path: "/.well-known/openid-configuration", handler: "discovery", auth: "none" },
  { method: "GET", path: "/.well-known/oauth-authorization-server", handler: "discovery", auth: "none" },
  { method: "POST", path: "/oauth/token", handler: "oauth-token", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/oauth/revoke", handler: "oauth-revoke", auth: "none", throttle: "credentials" },
  // Inside the refresh cookie's default Path=/auth, so a browser's cookie reaches it.
  { method: "POST", path: "/auth/revoke", handler: "oauth-revoke", auth: "none", throttle: "credentials" },
  { method: "POST", path: "/auth/mfa/totp", handler: "mfa-enrol", auth: "strict", throttle: "credentials" },
  { method: "POST", path: "/auth/mfa/totp/confirm", handler: "mfa-confirm", auth: "strict", throttle: "credentials" },
  { method: "DELETE", path: "/auth/mfa/totp", handler: "mfa-disable", auth: "strict", throttle: "credentials" },
  { method: "POST", path: "/auth/mfa/recovery-codes", handler: "mfa-recovery-codes", auth: "strict", throttle: "credentials" },
  { method: "POST", path: "/auth/mfa/verify", handler: "mfa-verify", auth: "none", throttle: "credentials" },
];

/**
 * CORS as API Gateway applies it; allowed origins differ per environment (tfvars in AWS,
 * CORS_ALLOWED_ORIGINS locally).
 */
export const CORS = {
  allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
  allowHeaders: ["authorization", "content-type"],
  maxAgeSeconds: 600,
} as const;

/**
 * API Gateway caches an authorizer's answer per Authorization header. A cached allow
 * outlives a logout, and the token's own `exp`, by up to the TTL (API Gateway does not
 * read `exp`), so the TTL is capped well below API Gateway's 3600 s: the Terraform
 * variable's validation and the local runtime both enforce this cap.
 */
export const AUTHORIZER_CACHE = { defaultTtlSeconds: 60, maxTtlSeconds: 300 } as const;

/** The authorizer is a function but not a route. */
export const AUTHORIZER = "authorizer";
