import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Fn, TerraformOutput, TerraformStack, type TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { functions as manifest, type FunctionName, type FunctionSpec } from "../handlers/functions.js";
import { AUTHORIZER, routes } from "../handlers/routes.js";
import { AuthFunction } from "./auth-function.js";
import { configureBackend } from "./backend.js";
import { CustomDomain } from "./custom-domain.js";
import { EmailIdentity } from "./email-identity.js";
import { HttpApi } from "./http-api.js";
import { RefreshTokenKey } from "./refresh-token-key.js";
import { SecretsKey } from "./secrets-key.js";
import { SigningKey } from "./signing-key.js";
import { UserTable } from "./user-table.js";
import { defineVariables } from "./variables.js";

export interface AuthStackProps {
  /** dev, staging or prod: names every resource (auth-<env>-...). */
  environment: string;
  /** Lambda bundle folder per function (built for arm64). */
  bundles: Readonly<Record<FunctionName, string>>;
  /** Where `<env>.backend.json` files live. */
  environmentsDir: string;
  /** Refuse to synthesize without the backend file (stacks/backend.ts remoteStateRequired). */
  requireRemoteState?: boolean;
  /** The function manifest (default handlers/functions.ts): tests pass a variant to prove a capability no function uses yet. */
  functions?: readonly FunctionSpec[];
}

/**
 * The whole service for one environment: HTTP API + REQUEST authorizer, one Lambda per
 * handler, the user table and the signing key. Structure is the same for every
 * environment; values come from `environments/<env>.tfvars.json`.
 */
export class AuthStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id);
    const prefix = `auth-${props.environment}`;
    const vars = defineVariables(this);
    configureBackend(this, props.environment, props.environmentsDir, props.requireRemoteState);
    new AwsProvider(this, "aws", {
      region: vars.region.stringValue,
      defaultTags: [{ tags: { service: "auth", environment: props.environment, "managed-by": "cdktf" } }],
    });

    const table = new UserTable(this, "users", { name: `${prefix}-users`, deletionProtection: vars.deletionProtection.booleanValue }).table;
    const key = new SigningKey(this, "signing", { name: prefix });
    const refreshKey = new RefreshTokenKey(this, "refresh-tokens", { name: prefix }).key;
    const secretsKey = new SecretsKey(this, "secrets", { name: prefix }).key;
    const email = new EmailIdentity(this, "email", { name: prefix, identity: vars.emailIdentity.stringValue });
    const api = new HttpApi(this, "http", {
      name: prefix,
      corsAllowedOrigins: vars.corsAllowedOrigins.listValue,
      throttlingRateLimit: vars.throttlingRateLimit.numberValue,
      throttlingBurstLimit: vars.throttlingBurstLimit.numberValue,
      credentialRateLimit: vars.credentialRouteRateLimit.numberValue,
      credentialBurstLimit: vars.credentialRouteBurstLimit.numberValue,
      logRetentionDays: vars.logRetentionDays.numberValue,
    });

    const domain = new CustomDomain(this, "custom-domain", { domain: vars.customDomain, hostedZoneId: vars.hostedZoneId, apiId: api.api.id, stageId: api.stage.id });
    // coalesce skips empty values: the issuer set, else the custom domain, else the API's own URL.
    const issuer = Fn.coalesce([vars.issuer.stringValue, domain.issuer, api.api.apiEndpoint]);
    const shared = {
      // The maps ship in every zip; parsing them is opt-in because it slows cold starts.
      NODE_OPTIONS: Fn.conditional(vars.enableSourceMaps.booleanValue, "--enable-source-maps", "") as string,
      LOG_LEVEL: vars.logLevel.stringValue,
      ISSUER: issuer,
      TENANTS: Fn.join(",", vars.tenants.listValue),
      DEFAULT_TENANT: vars.defaultTenant.stringValue,
      ACCESS_TOKEN_TTL_SECONDS: vars.accessTokenTtlSeconds.stringValue,
      REFRESH_TOKEN_TTL_SECONDS: vars.refreshTokenTtlSeconds.stringValue,
      REFRESH_REUSE_GRACE_SECONDS: vars.refreshReuseGraceSeconds.stringValue,
      PASSWORD_MIN_LENGTH: vars.passwordMinLength.stringValue,
      EMAIL_VERIFICATION_TTL_SECONDS: vars.emailVerificationTtlSeconds.stringValue,
      PASSWORD_RESET_TTL_SECONDS: vars.passwordResetTtlSeconds.stringValue,
      REQUIRE_EMAIL_VERIFICATION: asEnv(vars.requireEmailVerification),
      // The same list as CORS: refresh accepts its cookie only from these origins.
      CORS_ALLOWED_ORIGINS: Fn.join(",", vars.corsAllowedOrigins.listValue),
    };
    const abuseLimits = {
      LOCKOUT_MAX_FAILURES: vars.lockoutMaxFailures.stringValue,
      LOCKOUT_BASE_SECONDS: vars.lockoutBaseSeconds.stringValue,
      LOCKOUT_MAX_SECONDS: vars.lockoutMaxSeconds.stringValue,
      SOURCE_WINDOW_SECONDS: vars.sourceWindowSeconds.stringValue,
      SOURCE_FAILED_LOGINS_PER_WINDOW: vars.sourceFailedLoginsPerWindow.stringValue,
      SOURCE_SIGNUPS_PER_WINDOW: vars.sourceSignupsPerWindow.stringValue,
      ACCOUNT_EMAILS_PER_WINDOW: vars.accountEmailsPerWindow.stringValue,
    };
    const refreshCookie = {
      REFRESH_COOKIE_SAME_SITE: vars.refreshCookieSameSite.stringValue,
      REFRESH_COOKIE_DOMAIN: vars.refreshCookieDomain.stringValue,
      REFRESH_COOKIE_PATH: vars.refreshCookiePath.stringValue,
      REFRESH_COOKIE_SECURE: asEnv(vars.refreshCookieSecure),
    };
    const mail = {
      EMAIL_FROM: vars.emailFrom.stringValue,
      SES_CONFIGURATION_SET: email.configurationSet.configurationSetName,
      APP_URL: vars.appUrl.stringValue,
    };
    const deployed = {} as Record<FunctionName, AuthFunction>;
    for (const spec of props.functions ?? manifest) {
      deployed[spec.name] = new AuthFunction(this, spec.name, {
        spec,
        prefix,
        bundleDir: props.bundles[spec.name],
        memoryMb: (spec.argon2 ? vars.passwordHashingMemoryMb : vars.lambdaMemoryMb).numberValue,
        logRetentionDays: vars.logRetentionDays.numberValue,
        tableArn: table.arn,
        keyArn: key.key.arn,
        refreshKeyArn: refreshKey.arn,
        secretsKeyArn: secretsKey.arn,
        mailArns: { identity: email.identity.arn, configurationSet: email.configurationSet.arn },
        environment: {
          ...shared,
          ...(spec.tableActions.length ? { TABLE_NAME: table.name } : {}),
          ...(spec.abuseLimits ? abuseLimits : {}),
          ...(spec.keyActions.includes("kms:Sign") ? { SIGNING_KEY_ID: key.key.arn, SIGNING_PUBLIC_KEY: key.publicKey } : {}),
          ...(spec.refreshKeyActions.length ? { REFRESH_TOKEN_KEY_ID: refreshKey.arn } : {}),
          ...(spec.secretKeyActions.length ? { SECRET_KEY_ID: secretsKey.arn } : {}),
          // Only enrolment makes otpauth URIs, and only it seals new secrets.
          ...(spec.secretKeyActions.includes("kms:Encrypt") ? { MFA_ISSUER: vars.mfaIssuer.stringValue } : {}),
          ...(spec.mailActions.length ? mail : {}),
          ...(spec.refreshCookie ? refreshCookie : {}),
          ...(spec.publicKeys
            ? { JWT_PUBLIC_KEYS: Fn.join(",", Fn.concat([[key.publicKey], vars.previousPublicKeys.listValue])) }
            : {}),
        },
      });
    }

    api.useAuthorizer(deployed[AUTHORIZER].fn, vars.authorizerCacheTtlSeconds.numberValue);
    for (const route of routes) api.addRoute(route, deployed[route.handler].fn);

    new TerraformOutput(this, "api_url", { value: api.api.apiEndpoint, description: "Base URL: scripts/smoke.sh <api_url>" });
    new TerraformOutput(this, "table_name", { value: table.name });
    new TerraformOutput(this, "key_arn", { value: key.key.arn });
    new TerraformOutput(this, "token_issuer", { value: issuer, description: "The iss of access tokens (and the base of the discovery document)" });
    new TerraformOutput(this, "custom_domain_target", {
      value: domain.target,
      description: "Without hosted_zone_id: point custom_domain at this name (CNAME, or an alias record)",
    });
    new TerraformOutput(this, "certificate_validation", {
      value: domain.validationRecord,
      description: "Without hosted_zone_id: publish this DNS record (name type value) so ACM issues the certificate, then apply again",
    });
    new TerraformOutput(this, "dkim_tokens", {
      value: email.dkimTokens,
      description: "For a domain identity, publish each as <token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com (empty for an address identity)",
    });
  }
}

/** A bool variable as a Lambda environment value, which is a string: "true" or "false", as runtime/config.ts reads it. */
const asEnv = (variable: TerraformVariable): string => Fn.conditional(variable.booleanValue, "true", "false") as string;
