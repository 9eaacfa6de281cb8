/**
 * Every route with its auth and function, written out by hand rather than read from
 * handlers/routes.ts (as EXPECTED_ACTIONS does for IAM), so that making a route public, or
 * pointing it at another function, fails the infra and review tests instead of passing them.
 */
export const EXPECTED_ROUTES: Readonly<Record<string, { auth: "none" | "bearer" | "strict"; handler: string }>> = {
  "POST /auth/register": { auth: "none", handler: "register" },
  "POST /auth/login": { auth: "none", handler: "login" },
  "POST /auth/refresh": { auth: "none", handler: "refresh" },
  "POST /auth/logout": { auth: "bearer", handler: "logout" },
  "GET /me": { auth: "bearer", handler: "me" },
  "GET /.well-known/jwks.json": { auth: "none", handler: "jwks" },
  "GET /auth/sessions": { auth: "strict", handler: "sessions" },
  "DELETE /auth/sessions/{sid}": { auth: "strict", handler: "end-session" },
  "POST /auth/password": { auth: "strict", handler: "change-password" },
  "DELETE /me": { auth: "strict", handler: "delete-account" },
  "POST /auth/verify-email": { auth: "none", handler: "verify-email" },
  "POST /auth/verify-email/resend": { auth: "none", handler: "resend-verification" },
  "POST /auth/password/forgot": { auth: "none", handler: "forgot-password" },
  "POST /auth/password/reset": { auth: "none", handler: "reset-password" },
  "GET /.well-known/openid-configuration": { auth: "none", handler: "discovery" },
  "GET /.well-known/oauth-authorization-server": { auth: "none", handler: "discovery" },
  "POST /oauth/token": { auth: "none", handler: "oauth-token" },
  "POST /oauth/revoke": { auth: "none", handler: "oauth-revoke" },
  "POST /auth/revoke": { auth: "none", handler: "oauth-revoke" },
  "POST /auth/mfa/totp": { auth: "strict", handler: "mfa-enrol" },
  "POST /auth/mfa/totp/confirm": { auth: "strict", handler: "mfa-confirm" },
  "DELETE /auth/mfa/totp": { auth: "strict", handler: "mfa-disable" },
  "POST /auth/mfa/recovery-codes": { auth: "strict", handler: "mfa-recovery-codes" },
  "POST /auth/mfa/verify": { auth: "none", handler: "mfa-verify" },
};
