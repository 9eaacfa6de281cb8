import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { AUTHORIZER_CACHE } from "../handlers/routes.js";

/**
 * Every value that differs per stage, as a typed Terraform variable set by
 * `environments/<env>.tfvars.json`. Variables carry values only: a TerraformVariable cannot
 * drive structure at synth time, so nothing here decides which resources exist.
 */
/** A lower-case DNS name with at least two labels. */
const DOMAIN = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?([.][a-z0-9]([a-z0-9-]*[a-z0-9])?)+$";
/** A lower-case address as runtime/config.ts accepts in EMAIL_FROM. */
const ADDRESS = "^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$";
/** https, a lower-case host, an optional port and path, nothing after it, no trailing slash. */
const APP_URL = "^https://[a-z0-9-]+([.][a-z0-9-]+)*(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*$";

export function defineVariables(scope: Construct) {
  const variable = (name: string, type: string, description: string, defaultValue?: unknown, rule?: [string, string]) =>
    new TerraformVariable(scope, name, {
      type,
      description,
      ...(defaultValue === undefined ? {} : { default: defaultValue }),
      // The functions validate again at cold start; this catches a bad tfvars at plan time.
      ...(rule ? { validation: [{ condition: rule[0], errorMessage: rule[1] }] } : {}),
    });
  const range = (name: string, min: number, max: number): [string, string] => [
    `\${var.${name} >= ${min} && var.${name} <= ${max} && floor(var.${name}) == var.${name}}`,
    `${name} must be a whole number from ${min} to ${max}.`,
  ];

  return {
    region: variable("region", "string", "AWS region to deploy into, e.g. eu-west-1."),
    tenants: variable("tenants", "list(string)", "Tenants this deployment serves; each becomes an accepted token audience.", undefined, [
      "${length(var.tenants) > 0 && alltrue([for t in var.tenants : can(regex(\"^[a-z0-9][a-z0-9._-]{0,62}$\", t))])}",
      "tenants must list at least one name of lower-case letters, digits, '.', '_' or '-'.",
    ]),
    // Referring to another variable in a validation needs Terraform 1.9 or newer.
    defaultTenant: variable("default_tenant", "string", "Tenant used when a request names none; must be one of tenants.", undefined, [
      "${contains(var.tenants, var.default_tenant)}",
      "default_tenant must be one of tenants.",
    ]),
    issuer: variable("issuer", "string", "The iss claim of access tokens. Empty: https://<custom_domain> if set, else the API's own URL.", ""),
    customDomain: variable(
      "custom_domain",
      "string",
      "The API's own domain, e.g. auth.example.com (an ACM certificate validated by DNS, an API Gateway domain name and mapping); empty (default): the execute-api URL only.",
      "",
      [`\${var.custom_domain == "" || can(regex("${DOMAIN}", var.custom_domain))}`, "custom_domain must be empty or a lower-case domain like auth.example.com."],
    ),
    hostedZoneId: variable(
      "hosted_zone_id",
      "string",
      "Route 53 hosted zone of custom_domain: the certificate's validation record and the alias record are created there; empty: publish both by hand (outputs certificate_validation and custom_domain_target).",
      "",
      ['${var.hosted_zone_id == "" || (var.custom_domain != "" && can(regex("^Z[A-Z0-9]{1,31}$", var.hosted_zone_id)))}', "hosted_zone_id must be empty, or a Route 53 zone id like Z0123456789ABCDEFGHIJ with custom_domain set."],
    ),
    accessTokenTtlSeconds: variable("access_token_ttl_seconds", "number", "Access token lifetime in seconds (60..86400).", 900, range("access_token_ttl_seconds", 60, 86_400)),
    refreshTokenTtlSeconds: variable("refresh_token_ttl_seconds", "number", "Session (refresh token) lifetime from login, in seconds.", 2_592_000, range("refresh_token_ttl_seconds", 300, 31_536_000)),
    refreshReuseGraceSeconds: variable(
      "refresh_reuse_grace_seconds",
      "number",
      "Seconds during which the refresh token just replaced still gets the current one (concurrent refreshes); after that, presenting it revokes the session (0..60).",
      10,
      range("refresh_reuse_grace_seconds", 0, 60),
    ),
    // Single-use email tokens (handlers/lib/domain/email-tokens.ts).
    emailVerificationTtlSeconds: variable(
      "email_verification_ttl_seconds",
      "number",
      "Lifetime of an email-verification link, in seconds (300..604800).",
      86_400,
      range("email_verification_ttl_seconds", 300, 604_800),
    ),
    passwordResetTtlSeconds: variable(
      "password_reset_ttl_seconds",
      "number",
      "Lifetime of a password-reset link, in seconds (300..86400).",
      1800,
      range("password_reset_ttl_seconds", 300, 86_400),
    ),
    requireEmailVerification: variable(
      "require_email_verification",
      "bool",
      "Sign-in needs a verified email (403 email_not_verified before), and register answers 202 alike for new and taken emails, mailing the owner of a taken one instead of answering 409.",
      true,
    ),
    passwordMinLength: variable("password_min_length", "number", "Minimum password length on register (8..128).", 12, range("password_min_length", 8, 128)),
    authorizerCacheTtlSeconds: variable(
      "authorizer_cache_ttl_seconds",
      "number",
      `Seconds API Gateway caches an authorizer answer per Authorization header (0..${AUTHORIZER_CACHE.maxTtlSeconds}). A cached allow outlives a logout and the token's expiry by up to this long.`,
      AUTHORIZER_CACHE.defaultTtlSeconds,
      range("authorizer_cache_ttl_seconds", 0, AUTHORIZER_CACHE.maxTtlSeconds),
    ),
    corsAllowedOrigins: variable(
      "cors_allowed_origins",
      "list(string)",
      "Browser origins allowed to call the API (CORS) and to refresh with the cookie, e.g. https://app.example.com; \"*\" allows CORS reads but never the cookie.",
      undefined,
      [
        // As a browser sends Origin: lower-case scheme://host[:port], nothing after it.
        '${alltrue([for o in var.cors_allowed_origins : o == "*" || can(regex("^https?://[a-z0-9-]+([.][a-z0-9-]+)*(:[0-9]{1,5})?$", o))])}',
        "cors_allowed_origins entries must be origins like https://app.example.com (lower-case, no path or trailing slash) or \"*\".",
      ],
    ),
    // Mail (SES). The functions that send check EMAIL_FROM and APP_URL again at cold start (runtime/config.ts).
    emailIdentity: variable(
      "email_identity",
      "string",
      "SES identity mail is sent from: a domain (publish the DKIM records of the dkim_tokens output) or one address (SES mails it a confirmation link).",
      undefined,
      [
        `\${can(regex("${DOMAIN}", var.email_identity)) || can(regex("${ADDRESS}", var.email_identity))}`,
        "email_identity must be a lower-case domain like example.com or an address like no-reply@example.com.",
      ],
    ),
    // SES lets a verified domain send from any address at it or at its subdomains; an address identity only from itself.
    emailFrom: variable("email_from", "string", "Sender address of every message: the email_identity address, or an address at or under the email_identity domain.", undefined, [
      `\${can(regex("${ADDRESS}", var.email_from)) && (var.email_from == var.email_identity || (!strcontains(var.email_identity, "@") && (endswith(var.email_from, format("@%s", var.email_identity)) || endswith(var.email_from, format(".%s", var.email_identity)))))}`,
      "email_from must be a lower-case address equal to email_identity, or at or under the email_identity domain.",
    ]),
    appUrl: variable("app_url", "string", "Base URL of the app that opens the links in mail (https://app.example.com/verify-email?token=...): https, no query, fragment or trailing slash.", undefined, [
      `\${can(regex("${APP_URL}", var.app_url))}`,
      "app_url must be an https URL like https://app.example.com or https://example.com/account, without query, fragment or trailing slash.",
    ]),
    // The refresh cookie (handlers/lib/http/token-response.ts); the functions check the same rules at cold start.
    refreshCookieSameSite: variable(
      "refresh_cookie_same_site",
      "string",
      "SameSite of the refresh cookie: Strict (default; the app on the API's own site), Lax, or None (an app on another site; needs refresh_cookie_secure).",
      "Strict",
      [
        '${contains(["Strict", "Lax", "None"], var.refresh_cookie_same_site) && (var.refresh_cookie_same_site != "None" || var.refresh_cookie_secure)}',
        "refresh_cookie_same_site must be Strict, Lax or None, and None needs refresh_cookie_secure = true.",
      ],
    ),
    refreshCookieDomain: variable(
      "refresh_cookie_domain",
      "string",
      "Domain of the refresh cookie, e.g. example.com to send it to every subdomain; empty (default): the API's host only.",
      "",
      [`\${var.refresh_cookie_domain == "" || can(regex("${DOMAIN}", var.refresh_cookie_domain))}`, "refresh_cookie_domain must be empty or a lower-case domain like example.com."],
    ),
    refreshCookiePath: variable("refresh_cookie_path", "string", "Path of the refresh cookie: /auth (default: only the auth routes get it) or /.", "/auth", [
      '${contains(["/auth", "/"], var.refresh_cookie_path)}',
      "refresh_cookie_path must be /auth or /.",
    ]),
    mfaIssuer: variable(
      "mfa_issuer",
      "string",
      "The name authenticator apps show for this service's TOTP entries (the otpauth URI's issuer). Empty: the host name of the token issuer.",
      "",
      ['${var.mfa_issuer == "" || can(regex("^[^:\\\\x00-\\\\x1f\\\\x7f]{1,64}$", var.mfa_issuer))}', "mfa_issuer must be at most 64 printable characters, without ':'."],
    ),
    refreshCookieSecure: variable("refresh_cookie_secure", "bool", "Send the refresh cookie over HTTPS only (default true; a deployed API is HTTPS only).", true),
    throttlingRateLimit: variable("throttling_rate_limit", "number", "Stage-wide steady-state request rate limit (requests per second)."),
    throttlingBurstLimit: variable("throttling_burst_limit", "number", "Stage-wide burst limit (requests)."),
    // Per-route throttling of the credential routes (marked in handlers/routes.ts).
    credentialRouteRateLimit: variable(
      "credential_route_rate_limit",
      "number",
      "Steady-state request rate limit of each credential route (those marked in handlers/routes.ts: sign-in, register, refresh, password and email-link routes), at most throttling_rate_limit.",
      undefined,
      [
        "${var.credential_route_rate_limit > 0 && var.credential_route_rate_limit <= var.throttling_rate_limit}",
        "credential_route_rate_limit must be above 0 and at most throttling_rate_limit.",
      ],
    ),
    credentialRouteBurstLimit: variable(
      "credential_route_burst_limit",
      "number",
      "Burst limit of each credential route (those marked in handlers/routes.ts), at most throttling_burst_limit.",
      undefined,
      [
        "${var.credential_route_burst_limit >= 1 && var.credential_route_burst_limit <= var.throttling_burst_limit && floor(var.credential_route_burst_limit) == var.credential_route_burst_limit}",
        "credential_route_burst_limit must be a whole number from 1 to throttling_burst_limit.",
      ],
    ),
    logRetentionDays: variable("log_retention_days", "number", "Retention of the API access log and every function log, in days.", undefined, [
      "${contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)}",
      "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653).",
    ]),
    lambdaMemoryMb: variable("lambda_memory_mb", "number", "Memory of functions that do not hash passwords, in MB.", 256),
    passwordHashingMemoryMb: variable(
      "password_hashing_memory_mb",
      "number",
      "Memory of the functions that run argon2id (register, login, password change and reset, account deletion, MFA management: 19 MiB per hash; Lambda CPU grows with memory), in MB.",
      1024,
    ),
    deletionProtection: variable("deletion_protection", "bool", "Protect the user table from deletion (DynamoDB deletion protection)."),
    enableSourceMaps: variable(
      "enable_source_maps",
      "bool",
      "Map stack traces in function logs to the TypeScript sources. Costs about 50 ms of cold start for the larger functions.",
      false,
    ),
    logLevel: variable("log_level", "string", "Function log level: debug, info, warn or error.", "info", [
      '${contains(["debug", "info", "warn", "error"], var.log_level)}',
      "log_level must be debug, info, warn or error.",
    ]),
    // Brute force (OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2); the functions validate the same ranges at cold start.
    lockoutMaxFailures: variable(
      "lockout_max_failures",
      "number",
      "Consecutive failed logins per account (tenant + email, known or not) before it locks (1..20).",
      5,
      range("lockout_max_failures", 1, 20),
    ),
    lockoutBaseSeconds: variable(
      "lockout_base_seconds",
      "number",
      "First account lock, in seconds; each further failure doubles it (1..3600).",
      30,
      range("lockout_base_seconds", 1, 3600),
    ),
    lockoutMaxSeconds: variable("lockout_max_seconds", "number", "Longest account lock, in seconds (lockout_base_seconds..86400).", 900, [
      "${var.lockout_max_seconds >= var.lockout_base_seconds && var.lockout_max_seconds <= 86400 && floor(var.lockout_max_seconds) == var.lockout_max_seconds}",
      "lockout_max_seconds must be a whole number from lockout_base_seconds to 86400.",
    ]),
    sourceWindowSeconds: variable(
      "source_window_seconds",
      "number",
      "Fixed window of the per-source-address limits, in seconds (10..86400).",
      300,
      range("source_window_seconds", 10, 86_400),
    ),
    sourceFailedLoginsPerWindow: variable(
      "source_failed_logins_per_window",
      "number",
      "Failed logins and refreshes one source address may make per window, across accounts (1..1000000).",
      100,
      range("source_failed_logins_per_window", 1, 1_000_000),
    ),
    sourceSignupsPerWindow: variable(
      "source_signups_per_window",
      "number",
      "Registrations one source address may make per window; password-reset and verification-resend requests are counted apart under the same limit (1..1000000).",
      20,
      range("source_signups_per_window", 1, 1_000_000),
    ),
    accountEmailsPerWindow: variable(
      "account_emails_per_window",
      "number",
      "Emails one account (tenant + email, known or not) may be sent per window on unauthenticated requests: register, verification resend, forgot password (1..100).",
      3,
      range("account_emails_per_window", 1, 100),
    ),
    // The signing algorithm (handlers/lib/adapters/kms-signing-keys.ts): ES256, or RS256 for API Gateway's JWT authorizer.
    signingAlgorithm: variable(
      "signing_algorithm",
      "string",
      "JOSE algorithm access tokens are signed with: ES256 (KMS ECC_NIST_P256, the default) or RS256 (KMS RSA_2048, which API Gateway's built-in JWT authorizer needs). Must be listed in signing_key_algorithms.",
      "ES256",
      [
        '${contains(["ES256", "RS256"], var.signing_algorithm) && contains(var.signing_key_algorithms, var.signing_algorithm)}',
        "signing_algorithm must be ES256 or RS256, and listed in signing_key_algorithms (add the new key there first: README, Signing algorithm).",
      ],
    ),
    signingKeyAlgorithms: variable(
      "signing_key_algorithms",
      "list(string)",
      "Algorithms that have a KMS signing key: signing_algorithm's signs, every one listed verifies (JWKS, authorizer). Removing one schedules its key's deletion (30 days).",
      ["ES256"],
      [
        '${length(var.signing_key_algorithms) > 0 && alltrue([for a in var.signing_key_algorithms : contains(["ES256", "RS256"], a)])}',
        "signing_key_algorithms must list ES256, RS256 or both.",
      ],
    ),
    previousPublicKeys: variable(
      "previous_public_keys",
      "list(string)",
      "Base64 DER public keys of retired signing keys whose tokens are still accepted (key rotation).",
      [],
    ),
  };
}

export type Variables = ReturnType<typeof defineVariables>;
