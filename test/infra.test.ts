/**
 * Infrastructure, checked on the synthesized Terraform JSON (no terraform binary or AWS
 * account is needed): every setting the stacks promise, per environment.
 */
import AdmZip from "adm-zip";
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { functions } from "../handlers/functions.js";
import { TABLE } from "../handlers/lib/adapters/table-definition.js";
import { routes } from "../handlers/routes.js";
import type { Config, Limits } from "../handlers/lib/domain/config.js";
import { ConfigError } from "../handlers/lib/domain/errors.js";
import { loadConfig, loadCookieSettings, loadLimits, loadMfaSettings } from "../handlers/lib/runtime/config.js";
import { ROOT } from "../bundle/bundler.js";
import { ENVIRONMENTS } from "../stacks/app.js";
import { AuthStack } from "../stacks/auth-stack.js";
import { MissingBackendError, remoteStateRequired } from "../stacks/backend.js";
import { ELF_MACHINE, elfMachine } from "./helpers/elf.js";
import { EXPECTED_ROUTES } from "./helpers/expected-routes.js";
import { dataRef, ref, removeSynth, synthAll, type SynthStack } from "./helpers/synth.js";
import { evaluateCondition } from "./helpers/terraform-expression.js";

/**
 * The exact IAM actions each function may perform, written out here rather than derived
 * from handlers/functions.ts, so that widening a function's permissions fails this test.
 */
const EXPECTED_ACTIONS: Record<string, { table: string[]; keys: string[]; key: string[]; refreshKey: string[]; mail: string[]; secretKey?: string[] }> = {
  register: {
    table: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    keys: ["USER#*", "SOURCE#*", "EMAILTOKEN#*"],
    key: [],
    refreshKey: [],
    mail: ["ses:SendEmail"],
  },
  login: {
    table: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    keys: ["USER#*", "SESSION#*", "LOGIN#*", "SOURCE#*", "MFATOKEN#*"],
    key: ["kms:Sign"],
    refreshKey: ["kms:GenerateMac"],
    mail: [],
  },
  refresh: { table: ["dynamodb:GetItem", "dynamodb:UpdateItem"], keys: ["SESSION#*", "USER#*", "SOURCE#*"], key: ["kms:Sign"], refreshKey: ["kms:GenerateMac"], mail: [] },
  logout: { table: ["dynamodb:UpdateItem"], keys: ["SESSION#*", "USER#*"], key: [], refreshKey: [], mail: [] },
  me: { table: ["dynamodb:GetItem"], keys: ["USER#*"], key: [], refreshKey: [], mail: [] },
  jwks: { table: [], keys: [], key: [], refreshKey: [], mail: [] },
  sessions: { table: ["dynamodb:BatchGetItem", "dynamodb:Query"], keys: ["SESSION#*", "USER#*", "SESSIONS#*"], key: [], refreshKey: [], mail: [] },
  "change-password": {
    table: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    keys: ["SESSION#*", "USER#*", "LOGIN#*", "SOURCE#*"],
    key: [],
    refreshKey: ["kms:GenerateMac"],
    mail: ["ses:SendEmail"],
  },
  "delete-account": {
    table: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
    keys: ["SESSION#*", "USER#*", "LOGIN#*", "SOURCE#*", "SESSIONS#*", "EMAILTOKEN#*"],
    key: [],
    refreshKey: ["kms:GenerateMac"],
    mail: [],
  },
  "verify-email": { table: ["dynamodb:DeleteItem", "dynamodb:UpdateItem"], keys: ["EMAILTOKEN#*", "USER#*"], key: [], refreshKey: [], mail: [] },
  "resend-verification": {
    table: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    keys: ["USER#*", "SOURCE#*", "EMAILTOKEN#*"],
    key: [],
    refreshKey: [],
    mail: ["ses:SendEmail"],
  },
  "forgot-password": {
    table: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    keys: ["USER#*", "SOURCE#*", "EMAILTOKEN#*"],
    key: [],
    refreshKey: [],
    mail: ["ses:SendEmail"],
  },
  "reset-password": {
    table: ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    keys: ["EMAILTOKEN#*", "USER#*", "LOGIN#*"],
    key: [],
    refreshKey: [],
    mail: ["ses:SendEmail"],
  },
  "end-session": { table: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"], keys: ["SESSION#*", "USER#*"], key: [], refreshKey: [], mail: [] },
  // The secrets key: Encrypt only where a secret is made, Decrypt only where codes are checked.
  "mfa-enrol": { table: ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"], keys: ["SESSION#*", "USER#*"], key: [], refreshKey: [], mail: [], secretKey: ["kms:Encrypt"] },
  "mfa-confirm": {
    table: ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"],
    keys: ["SESSION#*", "USER#*"],
    key: [],
    refreshKey: [],
    mail: ["ses:SendEmail"],
    secretKey: ["kms:Decrypt"],
  },
  "mfa-disable": {
    table: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    keys: ["SESSION#*", "USER#*", "LOGIN#*", "SOURCE#*"],
    key: [],
    refreshKey: ["kms:GenerateMac"],
    mail: ["ses:SendEmail"],
    secretKey: ["kms:Decrypt"],
  },
  "mfa-recovery-codes": {
    table: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    keys: ["SESSION#*", "USER#*", "LOGIN#*", "SOURCE#*"],
    key: [],
    refreshKey: ["kms:GenerateMac"],
    mail: [],
    secretKey: ["kms:Decrypt"],
  },
  "mfa-verify": {
    table: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    keys: ["MFATOKEN#*", "USER#*", "SESSION#*", "LOGIN#*", "SOURCE#*"],
    key: ["kms:Sign"],
    refreshKey: ["kms:GenerateMac"],
    mail: [],
    secretKey: ["kms:Decrypt"],
  },
  authorizer: { table: [], keys: [], key: [], refreshKey: [], mail: [] },
  discovery: { table: [], keys: [], key: [], refreshKey: [], mail: [] },
  "oauth-token": { table: ["dynamodb:GetItem", "dynamodb:UpdateItem"], keys: ["SESSION#*", "USER#*", "SOURCE#*"], key: ["kms:Sign"], refreshKey: ["kms:GenerateMac"], mail: [] },
  "oauth-revoke": { table: ["dynamodb:GetItem", "dynamodb:UpdateItem"], keys: ["SESSION#*", "SOURCE#*"], key: [], refreshKey: ["kms:GenerateMac"], mail: [] },
};

/** A whole-number range: its ends pass; one step outside either end, and a fraction, fail. */
const range = (min: number, max: number) => ({ accepts: [min, max, Math.floor((min + max) / 2)], refuses: [min - 1, max + 1, min + 0.5] });

/**
 * What each variable's `validation` must accept and refuse, written out here rather than
 * read from stacks/variables.ts, so that raising or dropping a limit fails this test. `env`
 * names the variable the functions validate again at cold start (runtime/config.ts), which
 * must agree, and `field` the Config field whose default must equal Terraform's; `context`
 * gives the other variables a condition reads.
 */
type Loader = (env: Record<string, string>) => object;
const EXPECTED_VALIDATIONS: Record<
  string,
  { accepts: unknown[]; refuses: unknown[]; env?: string; field?: keyof Config | keyof Limits; load?: Loader; context?: Record<string, unknown>; envContext?: Record<string, string> }
> = {
  access_token_ttl_seconds: { ...range(60, 86_400), env: "ACCESS_TOKEN_TTL_SECONDS", field: "accessTokenTtlSeconds" },
  refresh_token_ttl_seconds: { ...range(300, 31_536_000), env: "REFRESH_TOKEN_TTL_SECONDS", field: "refreshTokenTtlSeconds" },
  password_min_length: { ...range(8, 128), env: "PASSWORD_MIN_LENGTH", field: "passwordMinLength" },
  // A cached allow outlives the token's exp by up to this long.
  authorizer_cache_ttl_seconds: range(0, 300),
  refresh_reuse_grace_seconds: { ...range(0, 60), env: "REFRESH_REUSE_GRACE_SECONDS", field: "refreshReuseGraceSeconds" },
  email_verification_ttl_seconds: { ...range(300, 604_800), env: "EMAIL_VERIFICATION_TTL_SECONDS", field: "emailVerificationTtlSeconds" },
  password_reset_ttl_seconds: { ...range(300, 86_400), env: "PASSWORD_RESET_TTL_SECONDS", field: "passwordResetTtlSeconds" },
  cors_allowed_origins: {
    accepts: [["*"], ["https://app.example.com"], ["http://localhost:5173", "https://a.b.example:8443"]],
    refuses: [["https://app.example.com/"], ["HTTPS://app.example.com"], ["app.example.com"], ["https://app.example.com/path"], ["*", "null"]],
  },
  log_retention_days: {
    accepts: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
    refuses: [0, 2, 4, 31, 366, 3654, 7.5],
  },
  log_level: { accepts: ["debug", "info", "warn", "error"], refuses: ["trace", "INFO", "", "warning"] },
  tenants: {
    accepts: [["default"], ["a", "b.c_d-e", "0"], ["x".repeat(63)]],
    refuses: [[], [""], ["Default"], ["a#b"], ["-a"], ["x".repeat(64)], ["a b"], ["ok", "not ok"]],
    env: "TENANTS",
  },
  default_tenant: { accepts: ["a", "b"], refuses: ["c", "A"], env: "DEFAULT_TENANT", context: { tenants: ["a", "b"] } },
  // Empty: the issuer's host name (runtime/config.ts loadMfaSettings).
  mfa_issuer: { accepts: ["", "Example Auth", "auth.example.com", "x".repeat(64)], refuses: ["a:b", "x".repeat(65), "tab\there"], env: "MFA_ISSUER", load: loadMfaSettings },
  lockout_max_failures: { ...range(1, 20), env: "LOCKOUT_MAX_FAILURES", field: "lockoutMaxFailures", load: loadLimits },
  // The longest lock may not be shorter than the first: checked with the longest allowed.
  lockout_base_seconds: { ...range(1, 3600), env: "LOCKOUT_BASE_SECONDS", field: "lockoutBaseSeconds", load: loadLimits, envContext: { LOCKOUT_MAX_SECONDS: "86400" } },
  lockout_max_seconds: {
    accepts: [30, 900, 86_400],
    refuses: [29, 86_401, 900.5],
    env: "LOCKOUT_MAX_SECONDS",
    field: "lockoutMaxSeconds",
    load: loadLimits,
    context: { lockout_base_seconds: 30 },
  },
  source_window_seconds: { ...range(10, 86_400), env: "SOURCE_WINDOW_SECONDS", field: "sourceWindowSeconds", load: loadLimits },
  source_failed_logins_per_window: { ...range(1, 1_000_000), env: "SOURCE_FAILED_LOGINS_PER_WINDOW", field: "sourceFailedLoginsPerWindow", load: loadLimits },
  source_signups_per_window: { ...range(1, 1_000_000), env: "SOURCE_SIGNUPS_PER_WINDOW", field: "sourceSignupsPerWindow", load: loadLimits },
  account_emails_per_window: { ...range(1, 100), env: "ACCOUNT_EMAILS_PER_WINDOW", field: "accountEmailsPerWindow", load: loadLimits },
  refresh_cookie_same_site: {
    accepts: ["Strict", "Lax", "None"],
    // Empty is not listed: Terraform refuses it, and at cold start an empty variable means unset (the default), as for every variable.
    refuses: ["strict", "none", "None; Secure"],
    env: "REFRESH_COOKIE_SAME_SITE",
    load: loadCookieSettings,
    context: { refresh_cookie_secure: true },
  },
  refresh_cookie_domain: {
    accepts: ["", "example.com", "auth.example.co.uk"],
    refuses: [".example.com", "Example.com", "example", "example.com;", "https://example.com"],
    env: "REFRESH_COOKIE_DOMAIN",
    load: loadCookieSettings,
  },
  custom_domain: { accepts: ["", "auth.example.com", "example.co.uk"], refuses: ["Auth.example.com", "example", "https://auth.example.com", "auth.example.com."] },
  hosted_zone_id: {
    accepts: ["", "Z0123456789ABCDEFGHIJ", "Z1"],
    refuses: ["z0123", "0123", "Z012 3", "Z"],
    context: { custom_domain: "auth.example.com" },
  },
  refresh_cookie_path: { accepts: ["/auth", "/"], refuses: ["/me", "auth", "/auth/"], env: "REFRESH_COOKIE_PATH", load: loadCookieSettings },
  // Per-route throttling stays below the stage's own limits.
  credential_route_rate_limit: { accepts: [0.5, 1, 100], refuses: [0, -1, 100.5], context: { throttling_rate_limit: 100 } },
  credential_route_burst_limit: { accepts: [1, 200], refuses: [0, 201, 1.5], context: { throttling_burst_limit: 200 } },
  // Mail: a domain or one address; the sender at or under it (SES allows subdomains of a verified domain); links over https.
  email_identity: {
    accepts: ["example.com", "mail.example.co.uk", "no-reply@example.com", "a.b+c@x-y.example"],
    refuses: ["", "example", "Example.com", "-example.com", "example.com.", "no reply@example.com", "@example.com", "https://example.com"],
  },
  email_from: {
    accepts: ["no-reply@example.com", "a@mail.example.com", "x.y+z@a.b.example.com"],
    refuses: ["no-reply@badexample.com", "no-reply@example.com.evil", "example.com", "No-Reply@example.com", "no-reply@example.org", "a@example"],
    context: { email_identity: "example.com" },
  },
  app_url: {
    accepts: ["https://app.example.com", "https://example.com/account", "https://a.example:8443/x/y", "https://localhost"],
    refuses: ["http://app.example.com", "https://app.example.com/", "https://app.example.com/?x=1", "https://app.example.com#x", "https://App.example.com", "app.example.com", "https://user@app.example.com", "http://localhost:3000"],
  },
};

/** An address identity admits exactly itself as the sender. */
const ADDRESS_IDENTITY = { identity: "ops@example.com", accepts: ["ops@example.com"], refuses: ["x.ops@example.com", "ops@sub.example.com", "other@example.com"] };

/** The functions that enforce the brute-force limits, and the variable behind each setting (written out by hand). */
const ABUSE_LIMIT_FUNCTIONS = ["login", "refresh", "register", "change-password", "delete-account", "resend-verification", "forgot-password", "oauth-token", "oauth-revoke", "mfa-disable", "mfa-recovery-codes", "mfa-verify"];
const ABUSE_LIMIT_ENV = {
  LOCKOUT_MAX_FAILURES: "${var.lockout_max_failures}",
  LOCKOUT_BASE_SECONDS: "${var.lockout_base_seconds}",
  LOCKOUT_MAX_SECONDS: "${var.lockout_max_seconds}",
  SOURCE_WINDOW_SECONDS: "${var.source_window_seconds}",
  SOURCE_FAILED_LOGINS_PER_WINDOW: "${var.source_failed_logins_per_window}",
  SOURCE_SIGNUPS_PER_WINDOW: "${var.source_signups_per_window}",
  ACCOUNT_EMAILS_PER_WINDOW: "${var.account_emails_per_window}",
};

/** Defaults and validation rules of the brute-force variables, written out so that loosening one fails. */
const ABUSE_LIMIT_VARIABLES: Record<string, { default: number; condition: string }> = {
  lockout_max_failures: {
    default: 5,
    condition: "${var.lockout_max_failures >= 1 && var.lockout_max_failures <= 20 && floor(var.lockout_max_failures) == var.lockout_max_failures}",
  },
  lockout_base_seconds: {
    default: 30,
    condition: "${var.lockout_base_seconds >= 1 && var.lockout_base_seconds <= 3600 && floor(var.lockout_base_seconds) == var.lockout_base_seconds}",
  },
  lockout_max_seconds: {
    default: 900,
    condition: "${var.lockout_max_seconds >= var.lockout_base_seconds && var.lockout_max_seconds <= 86400 && floor(var.lockout_max_seconds) == var.lockout_max_seconds}",
  },
  source_window_seconds: {
    default: 300,
    condition: "${var.source_window_seconds >= 10 && var.source_window_seconds <= 86400 && floor(var.source_window_seconds) == var.source_window_seconds}",
  },
  source_failed_logins_per_window: {
    default: 100,
    condition:
      "${var.source_failed_logins_per_window >= 1 && var.source_failed_logins_per_window <= 1000000 && floor(var.source_failed_logins_per_window) == var.source_failed_logins_per_window}",
  },
  source_signups_per_window: {
    default: 20,
    condition: "${var.source_signups_per_window >= 1 && var.source_signups_per_window <= 1000000 && floor(var.source_signups_per_window) == var.source_signups_per_window}",
  },
  account_emails_per_window: {
    default: 3,
    condition: "${var.account_emails_per_window >= 1 && var.account_emails_per_window <= 100 && floor(var.account_emails_per_window) == var.account_emails_per_window}",
  },
};

/** The functions that set or clear the refresh cookie, so get its attributes (written out by hand). */
const COOKIE_FUNCTIONS = ["login", "refresh", "logout", "delete-account", "oauth-revoke", "mfa-verify"];
const COOKIE_ENV = {
  REFRESH_COOKIE_SAME_SITE: "${var.refresh_cookie_same_site}",
  REFRESH_COOKIE_DOMAIN: "${var.refresh_cookie_domain}",
  REFRESH_COOKIE_PATH: "${var.refresh_cookie_path}",
  REFRESH_COOKIE_SECURE: '${var.refresh_cookie_secure ? "true" : "false"}',
};

/** The routes API Gateway throttles below the stage limit (written out by hand, not read from routes.ts). */
const CREDENTIAL_ROUTES = [
  "POST /auth/login",
  "POST /auth/refresh",
  "POST /auth/register",
  "POST /auth/password",
  "DELETE /me",
  "POST /auth/verify-email",
  "POST /auth/verify-email/resend",
  "POST /auth/password/forgot",
  "POST /auth/password/reset",
  "POST /oauth/token",
  "POST /oauth/revoke",
  "POST /auth/revoke",
  "POST /auth/mfa/totp",
  "POST /auth/mfa/totp/confirm",
  "DELETE /auth/mfa/totp",
  "POST /auth/mfa/recovery-codes",
  "POST /auth/mfa/verify",
];

/** Of the variables `expected` names, those a function's environment has, with their values. */
const present = (vars: Record<string, unknown>, expected: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(expected).filter((name) => name in vars).map((name) => [name, vars[name]]));

const readTfvars = (env: string) => JSON.parse(readFileSync(join(ROOT, "environments", `${env}.tfvars.json`), "utf8")) as Record<string, unknown>;

describe("infrastructure (synthesized Terraform)", function () {
  this.timeout(180_000);
  let stacks: Record<string, SynthStack>;

  before(async () => {
    stacks = (await synthAll()).stacks;
  });
  after(removeSynth);

  it("handlers/routes.ts declares exactly the expected routes (the local runtime serves from it)", () => {
    const declared = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, { auth: r.auth, handler: r.handler }]));
    expect(declared).to.deep.equal(EXPECTED_ROUTES);
  });

  it("declares one stack per environment from one class", () => {
    expect(Object.keys(stacks).sort()).to.deep.equal(["dev", "prod", "staging"]);
    for (const env of ENVIRONMENTS) expect(stacks[env].at("aws_lambda_function", "login/function").function_name).to.equal(`auth-${env}-login`);
  });

  for (const env of ENVIRONMENTS) {
    describe(`auth-${env}`, () => {
      const s = () => stacks[env];
      const table = () => s().at("aws_dynamodb_table", "users/table");
      const key = () => s().at("aws_kms_key", "signing/key");
      const refreshKey = () => s().at("aws_kms_key", "refresh-tokens/key");
      const secretsKey = () => s().at("aws_kms_key", "secrets/key");
      const api = () => s().at("aws_apigatewayv2_api", "http/api");
      const fn = (name: string) => s().at("aws_lambda_function", `${name}/function`);
      const policyOf = (name: string) => s().at("aws_iam_policy_document", `${name}/permissions`, "data");

      describe("variables and tfvars", () => {
        it("gives every variable a type and a description", () => {
          for (const [name, v] of Object.entries(s().json.variable as Record<string, any>)) {
            expect(v.type, name).to.be.a("string");
            expect(v.description, name).to.be.a("string").and.have.length.greaterThan(10);
          }
        });

        it(`environments/${env}.tfvars.json sets only declared variables, and every one without a default`, () => {
          const declared = s().json.variable as Record<string, any>;
          const tfvars = readTfvars(env);
          expect(Object.keys(tfvars).filter((k) => !(k in declared)), "undeclared").to.deep.equal([]);
          const required = Object.keys(declared).filter((k) => !("default" in declared[k]));
          expect(required.filter((k) => !(k in tfvars)), "missing").to.deep.equal([]);
          for (const name of ["region", "tenants", "default_tenant", "cors_allowed_origins", "throttling_rate_limit", "throttling_burst_limit", "log_retention_days", "deletion_protection"]) {
            expect(required, name).to.include(name);
          }
        });

        it("sets values the functions will accept", () => {
          const tfvars = readTfvars(env) as Record<string, any>;
          expect(tfvars.tenants).to.include(tfvars.default_tenant);
          for (const tenant of tfvars.tenants) expect(tenant).to.match(/^[a-z0-9][a-z0-9._-]{0,62}$/);
          expect(tfvars.cors_allowed_origins).to.be.an("array").that.is.not.empty;
          expect(typeof tfvars.deletion_protection).to.equal("boolean");
        });

        it("declares the brute-force limits with their defaults and validation rules", () => {
          const declared = s().json.variable as Record<string, any>;
          for (const [name, expected] of Object.entries(ABUSE_LIMIT_VARIABLES)) {
            expect(declared[name], name).to.include({ type: "number", default: expected.default });
            expect(declared[name].validation, name).to.have.length(1);
            expect(declared[name].validation[0].condition, name).to.equal(expected.condition);
            expect(declared[name].validation[0].error_message, name).to.include(name);
          }
        });

        it("requires the credential route limits per environment, at most the stage's limits", () => {
          const declared = s().json.variable as Record<string, any>;
          expect(declared.credential_route_rate_limit).not.to.have.property("default");
          expect(declared.credential_route_burst_limit).not.to.have.property("default");
          expect(declared.credential_route_rate_limit.validation.map((v: any) => v.condition)).to.deep.equal([
            "${var.credential_route_rate_limit > 0 && var.credential_route_rate_limit <= var.throttling_rate_limit}",
          ]);
          expect(declared.credential_route_burst_limit.validation.map((v: any) => v.condition)).to.deep.equal([
            "${var.credential_route_burst_limit >= 1 && var.credential_route_burst_limit <= var.throttling_burst_limit && floor(var.credential_route_burst_limit) == var.credential_route_burst_limit}",
          ]);
          const tfvars = readTfvars(env) as Record<string, number>;
          expect(tfvars.credential_route_rate_limit).to.be.greaterThan(0).and.at.most(tfvars.throttling_rate_limit);
          expect(tfvars.credential_route_burst_limit).to.be.a("number").within(1, tfvars.throttling_burst_limit);
          expect(Number.isInteger(tfvars.credential_route_burst_limit)).to.equal(true);
        });

        it("declares every stage-specific value the issue lists", () => {
          expect(Object.keys(s().json.variable)).to.include.members([
            "region", "tenants", "default_tenant", "issuer", "access_token_ttl_seconds", "refresh_token_ttl_seconds",
            "password_min_length", "authorizer_cache_ttl_seconds", "cors_allowed_origins", "throttling_rate_limit",
            "throttling_burst_limit", "credential_route_rate_limit", "credential_route_burst_limit", "log_retention_days", "lambda_memory_mb", "password_hashing_memory_mb", "deletion_protection",
            "require_email_verification", "account_emails_per_window",
          ]);
        });

        it("requires email verification by default, and every function reads the choice (the cold-start default agrees)", () => {
          const declared = s().json.variable as Record<string, any>;
          expect(declared.require_email_verification).to.include({ type: "bool", default: true });
          expect(typeof readTfvars(env).require_email_verification).to.equal("boolean");
          for (const spec of functions) {
            expect(fn(spec.name).environment.variables.REQUIRE_EMAIL_VERIFICATION, spec.name).to.equal('${var.require_email_verification ? "true" : "false"}');
          }
          expect(loadConfig({ ISSUER: "https://auth.example.com", TENANTS: "a" }).requireEmailVerification).to.equal(true);
        });
      });

      it("keeps local state in the project root when no backend file exists, and uses the region variable", () => {
        expect(s().json.terraform.backend).to.deep.equal({ local: { path: `../../../terraform.auth-${env}.tfstate` } });
        expect(s().json.provider.aws[0].region).to.equal("${var.region}");
      });

      describe("HTTP API", () => {
        it("is an HTTP API with CORS from the variables", () => {
          const a = api();
          expect(a.protocol_type).to.equal("HTTP");
          expect(a.cors_configuration.allow_origins).to.equal("${var.cors_allowed_origins}");
          expect(a.cors_configuration.allow_methods).to.deep.equal(["GET", "POST", "DELETE", "OPTIONS"]);
          expect(a.cors_configuration.allow_headers).to.deep.equal(["authorization", "content-type"]);
          expect(a.cors_configuration.allow_credentials).to.equal('${contains(var.cors_allowed_origins, "*") ? false : true}');
        });

        it("has a $default auto-deploy stage with throttling and JSON access logs kept for the retention period", () => {
          const stage = s().at("aws_apigatewayv2_stage", "http/stage");
          expect(stage).to.include({ name: "$default", auto_deploy: true, api_id: ref("aws_apigatewayv2_api", api().id, "id") });
          expect(stage.default_route_settings).to.deep.equal({ throttling_rate_limit: "${var.throttling_rate_limit}", throttling_burst_limit: "${var.throttling_burst_limit}" });
          const logs = s().at("aws_cloudwatch_log_group", "http/access-logs");
          expect(stage.access_log_settings.destination_arn).to.equal(ref("aws_cloudwatch_log_group", logs.id, "arn"));
          expect(logs.retention_in_days).to.equal("${var.log_retention_days}");
          const format = JSON.parse(stage.access_log_settings.format);
          expect(format).to.include({ requestId: "$context.requestId", status: "$context.status", routeKey: "$context.routeKey" });
          expect(JSON.stringify(format)).not.to.match(/header|authorization/i);
        });

        it("throttles the credential routes (login, refresh, register, password change, deletion) per route from the variables, the stage referring to (so depending on) each route", () => {
          const stage = s().at("aws_apigatewayv2_stage", "http/stage");
          const deployed = Object.entries(s().resources("aws_apigatewayv2_route"));
          const routeRef = (key: string) => ref("aws_apigatewayv2_route", deployed.find(([, r]) => r.route_key === key)![0], "route_key");
          const settings = [...stage.route_settings].sort((a: any, b: any) => a.route_key.localeCompare(b.route_key));
          const expected = CREDENTIAL_ROUTES.map((key) => ({
            route_key: routeRef(key),
            throttling_rate_limit: "${var.credential_route_rate_limit}",
            throttling_burst_limit: "${var.credential_route_burst_limit}",
          })).sort((a, b) => a.route_key.localeCompare(b.route_key));
          expect(settings).to.deep.equal(expected);
        });

        it("has a REQUEST authorizer: payload 2.0, simple responses, Authorization header, TTL from the variables", () => {
          const authorizer = s().at("aws_apigatewayv2_authorizer", "http/authorizer");
          expect(authorizer).to.include({
            authorizer_type: "REQUEST",
            authorizer_payload_format_version: "2.0",
            enable_simple_responses: true,
            authorizer_result_ttl_in_seconds: "${var.authorizer_cache_ttl_seconds}",
            authorizer_uri: ref("aws_lambda_function", fn("authorizer").id, "invoke_arn"),
          });
          expect(authorizer.identity_sources).to.deep.equal(["$request.header.Authorization"]);
          const permission = s().at("aws_lambda_permission", "http/authorizer-invoke");
          expect(permission.function_name).to.equal(ref("aws_lambda_function", fn("authorizer").id, "function_name"));
          expect(permission.source_arn).to.equal(`${ref("aws_apigatewayv2_api", api().id, "execution_arn")}/authorizers/${ref("aws_apigatewayv2_authorizer", authorizer.id, "id")}`);
        });

        it("has exactly the expected routes, each with its auth and its function", () => {
          const deployed = Object.values(s().resources("aws_apigatewayv2_route"));
          expect(deployed.map((r) => r.route_key).sort()).to.deep.equal(Object.keys(EXPECTED_ROUTES).sort());
          const authorizerId = s().at("aws_apigatewayv2_authorizer", "http/authorizer").id;
          const integrations = s().resources("aws_apigatewayv2_integration");
          const permissions = Object.values(s().resources("aws_lambda_permission"));
          for (const [routeKey, expected] of Object.entries(EXPECTED_ROUTES)) {
            const [method, path] = routeKey.split(" ");
            const r = deployed.find((d) => d.route_key === routeKey)!;
            if (expected.auth !== "none") {
              expect(r, routeKey).to.include({ authorization_type: "CUSTOM", authorizer_id: ref("aws_apigatewayv2_authorizer", authorizerId, "id") });
            } else {
              expect(r.authorization_type, routeKey).to.equal("NONE");
              expect(r, routeKey).not.to.have.property("authorizer_id");
            }
            const integrationId = /aws_apigatewayv2_integration\.([^.]+)\.id/.exec(r.target)![1];
            expect(integrations[integrationId], routeKey).to.include({
              integration_type: "AWS_PROXY",
              payload_format_version: "2.0",
              integration_uri: ref("aws_lambda_function", fn(expected.handler).id, "invoke_arn"),
              description: `${routeKey}: ${expected.auth}`,
            });
            // A path parameter may be any one segment: written out, not derived.
            const arnPath = path === "/auth/sessions/{sid}" ? "/auth/sessions/*" : path;
            const sourceArn = `${ref("aws_apigatewayv2_api", api().id, "execution_arn")}/*/${method}${arnPath}`;
            const permission = permissions.find((p) => p.source_arn === sourceArn);
            expect(permission, `permission for ${routeKey}`).to.include({
              principal: "apigateway.amazonaws.com",
              action: "lambda:InvokeFunction",
              function_name: ref("aws_lambda_function", fn(expected.handler).id, "function_name"),
            });
          }
          expect(permissions).to.have.length(Object.keys(EXPECTED_ROUTES).length + 1);
        });
      });

      describe("functions", () => {
        it("deploys one nodejs22.x arm64 Lambda per handler with its own log group", () => {
          expect(Object.keys(s().resources("aws_lambda_function"))).to.have.length(functions.length);
          for (const spec of functions) {
            const f = fn(spec.name);
            const logs = s().at("aws_cloudwatch_log_group", `${spec.name}/logs`);
            expect(f, spec.name).to.include({ function_name: `auth-${env}-${spec.name}`, runtime: "nodejs22.x", handler: "index.handler" });
            expect(f.architectures).to.deep.equal(["arm64"]);
            expect(f.memory_size).to.equal(spec.argon2 ? "${var.password_hashing_memory_mb}" : "${var.lambda_memory_mb}");
            expect(logs).to.include({ name: `/aws/lambda/auth-${env}-${spec.name}`, retention_in_days: "${var.log_retention_days}" });
            expect(f.logging_config.log_group).to.equal(ref("aws_cloudwatch_log_group", logs.id, "name"));
            expect(f.source_code_hash).to.equal(`\${filebase64sha256("${f.filename}")}`);
          }
        });

        it("gives the table, the signing key and the public keys only to the functions that use them", () => {
          const tableName = ref("aws_dynamodb_table", table().id, "name");
          const publicKey = dataRef("aws_kms_public_key", s().at("aws_kms_public_key", "signing/public-key", "data").id, "public_key");
          for (const spec of functions) {
            const vars = fn(spec.name).environment.variables;
            expect(vars, spec.name).to.include({
              TENANTS: '${join(",", var.tenants)}',
              DEFAULT_TENANT: "${var.default_tenant}",
              ACCESS_TOKEN_TTL_SECONDS: "${var.access_token_ttl_seconds}",
              PASSWORD_MIN_LENGTH: "${var.password_min_length}",
              CORS_ALLOWED_ORIGINS: '${join(",", var.cors_allowed_origins)}',
              NODE_OPTIONS: '${var.enable_source_maps ? "--enable-source-maps" : ""}',
              // The issuer set, else https://<custom_domain>, else the API's own URL.
              ISSUER: `\${coalesce(var.issuer, local.${Object.keys(s().json.locals)[0]}, ${ref("aws_apigatewayv2_api", api().id, "api_endpoint").slice(2, -1)})}`,
            });
            expect(vars.TABLE_NAME, spec.name).to.equal(spec.tableActions.length ? tableName : undefined);
            const limits = present(vars, ABUSE_LIMIT_ENV);
            expect(limits, `${spec.name} abuse limits`).to.deep.equal(ABUSE_LIMIT_FUNCTIONS.includes(spec.name) ? ABUSE_LIMIT_ENV : {});
            const cookie = present(vars, COOKIE_ENV);
            expect(cookie, `${spec.name} refresh cookie`).to.deep.equal(COOKIE_FUNCTIONS.includes(spec.name) ? COOKIE_ENV : {});
            expect(vars.SIGNING_KEY_ID, spec.name).to.equal(spec.keyActions.length ? ref("aws_kms_key", key().id, "arn") : undefined);
            expect(vars.SIGNING_PUBLIC_KEY, spec.name).to.equal(spec.keyActions.length ? publicKey : undefined);
            expect(vars.REFRESH_TOKEN_KEY_ID, spec.name).to.equal(EXPECTED_ACTIONS[spec.name].refreshKey.length ? ref("aws_kms_key", refreshKey().id, "arn") : undefined);
            expect(vars.REFRESH_REUSE_GRACE_SECONDS, spec.name).to.equal("${var.refresh_reuse_grace_seconds}");
            expect(vars.SECRET_KEY_ID, spec.name).to.equal(EXPECTED_ACTIONS[spec.name].secretKey?.length ? ref("aws_kms_key", secretsKey().id, "arn") : undefined);
            expect(vars.MFA_ISSUER, spec.name).to.equal(spec.name === "mfa-enrol" ? "${var.mfa_issuer}" : undefined);
            expect(vars.JWT_PUBLIC_KEYS, spec.name).to.equal(spec.publicKeys ? `\${join(",", concat([${publicKey.slice(2, -1)}], var.previous_public_keys))}` : undefined);
          }
        });

        it("ships each function as a zip with index.js, and argon2's linux-arm64 binary where needed", () => {
          for (const spec of functions) {
            const zip = new AdmZip(join(s().dir, fn(spec.name).filename));
            const entries = zip.getEntries().map((e) => e.entryName).sort();
            expect(entries, spec.name).to.include("index.js");
            expect(entries.filter((e) => e.includes("/")), "flat zip").to.deep.equal([]);
            expect(entries.includes("argon2.node"), spec.name).to.equal(spec.argon2);
            if (spec.argon2) expect(elfMachine(zip.readFile("argon2.node")!), "linux-arm64 binary").to.equal(ELF_MACHINE.arm64);
            const size = zip.getEntry("index.js")!.header.size;
            expect(size, `${spec.name} index.js`).to.be.below(spec.name === "authorizer" ? 64 * 1024 : 700 * 1024);
          }
        });
      });

      describe("IAM", () => {
        it("gives each function its own role, assumable only by Lambda", () => {
          for (const spec of functions) {
            const role = s().at("aws_iam_role", `${spec.name}/role`);
            expect(fn(spec.name).role).to.equal(ref("aws_iam_role", role.id, "arn"));
            const trust = s().at("aws_iam_policy_document", `${spec.name}/trust`, "data");
            expect(trust.statement).to.deep.equal([{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }]);
            expect(role.assume_role_policy).to.equal(dataRef("aws_iam_policy_document", trust.id, "json"));
          }
        });

        for (const [name, expected] of Object.entries(EXPECTED_ACTIONS)) {
          it(`${name}: exactly its actions on exactly its resources`, () => {
            const doc = policyOf(name);
            const logs = s().at("aws_cloudwatch_log_group", `${name}/logs`);
            const statements = [
              { sid: "Logs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${ref("aws_cloudwatch_log_group", logs.id, "arn")}:*`] },
              ...(expected.table.length
                ? [
                    {
                      sid: "Table",
                      effect: "Allow",
                      actions: expected.table,
                      // Query reads the sessions-by-owner index, an ARN of its own.
                      resources: expected.table.includes("dynamodb:Query")
                        ? [ref("aws_dynamodb_table", table().id, "arn"), `${ref("aws_dynamodb_table", table().id, "arn")}/index/sessions-by-owner`]
                        : [ref("aws_dynamodb_table", table().id, "arn")],
                      condition: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: expected.keys }],
                    },
                  ]
                : []),
              ...(expected.key.length ? [{ sid: "SigningKey", effect: "Allow", actions: expected.key, resources: [ref("aws_kms_key", key().id, "arn")] }] : []),
              ...(expected.refreshKey.length
                ? [{ sid: "RefreshTokenKey", effect: "Allow", actions: expected.refreshKey, resources: [ref("aws_kms_key", refreshKey().id, "arn")] }]
                : []),
              ...(expected.secretKey?.length ? [{ sid: "SecretsKey", effect: "Allow", actions: expected.secretKey, resources: [ref("aws_kms_key", secretsKey().id, "arn")] }] : []),
              // On the environment's identity and configuration set only.
              ...(expected.mail.length
                ? [
                    {
                      sid: "SendEmail",
                      effect: "Allow",
                      actions: expected.mail,
                      resources: [
                        ref("aws_sesv2_email_identity", s().at("aws_sesv2_email_identity", "email/identity").id, "arn"),
                        ref("aws_sesv2_configuration_set", s().at("aws_sesv2_configuration_set", "email/configuration-set").id, "arn"),
                      ],
                    },
                  ]
                : []),
            ];
            expect(doc.statement).to.deep.equal(statements);
            const attached = s().at("aws_iam_role_policy", `${name}/policy`);
            expect(attached.policy).to.equal(dataRef("aws_iam_policy_document", doc.id, "json"));
            expect(attached.role).to.equal(ref("aws_iam_role", s().at("aws_iam_role", `${name}/role`).id, "id"));
          });
        }

        it("attaches no other policies and uses no wildcard action or resource in any role", () => {
          expect(Object.keys(s().resources("aws_iam_role_policy"))).to.have.length(functions.length);
          expect(s().resources("aws_iam_role_policy_attachment")).to.deep.equal({});
          expect(s().resources("aws_iam_policy")).to.deep.equal({});
          for (const spec of functions) {
            for (const st of policyOf(spec.name).statement) {
              for (const action of st.actions) expect(action, spec.name).not.to.include("*");
              for (const resource of st.resources) expect(resource, spec.name).not.to.equal("*");
            }
          }
        });
      });

      describe("data", () => {
        it("creates the table from THE table definition: on demand, PITR, TTL, encryption, deletion protection", () => {
          const t = table();
          expect(t).to.include({
            name: `auth-${env}-users`,
            billing_mode: "PAY_PER_REQUEST",
            hash_key: TABLE.partitionKey,
            range_key: TABLE.sortKey,
            deletion_protection_enabled: "${var.deletion_protection}",
          });
          expect(t.attribute).to.deep.equal(TABLE.attributes.map((a) => ({ name: a.name, type: a.type })));
          expect(t.ttl).to.deep.equal({ attribute_name: TABLE.ttlAttribute, enabled: true });
          expect(t.global_secondary_index).to.deep.equal([{ name: "sessions-by-owner", hash_key: "session_owner", projection_type: "ALL" }]);
          expect(t.point_in_time_recovery).to.deep.equal({ enabled: true });
          expect(t.server_side_encryption).to.deep.equal({ enabled: true });
        });

        it("creates an ECC_NIST_P256 SIGN_VERIFY key with an alias and a policy without kms:*", () => {
          const k = key();
          expect(k).to.include({ customer_master_key_spec: "ECC_NIST_P256", key_usage: "SIGN_VERIFY", deletion_window_in_days: 30 });
          const alias = s().at("aws_kms_alias", "signing/alias");
          expect(alias).to.include({ name: `alias/auth-${env}-signing`, target_key_id: ref("aws_kms_key", k.id, "key_id") });
          const policy = s().at("aws_iam_policy_document", "signing/policy", "data");
          expect(k.policy).to.equal(dataRef("aws_iam_policy_document", policy.id, "json"));
          const actions = policy.statement.flatMap((st: any) => st.actions);
          expect(actions.filter((a: string) => a.includes("*"))).to.deep.equal([]);
          const signing = policy.statement.filter((st: any) => st.actions.includes("kms:Sign"));
          expect(signing).to.have.length(1);
          expect(signing[0].condition).to.deep.equal([{ test: "StringEquals", variable: "kms:SigningAlgorithm", values: ["ECDSA_SHA_256"] }]);
          for (const st of policy.statement) expect(st.principals[0].identifiers[0]).to.match(/:root$/);
          const publicKey = s().at("aws_kms_public_key", "signing/public-key", "data");
          expect(publicKey.key_id).to.equal(ref("aws_kms_key", k.id, "arn"));
        });

        it("creates an HMAC_256 GENERATE_VERIFY_MAC key for refresh tokens, usable only for HMAC_SHA_256", () => {
          const k = refreshKey();
          expect(k).to.include({ customer_master_key_spec: "HMAC_256", key_usage: "GENERATE_VERIFY_MAC", deletion_window_in_days: 30 });
          const alias = s().at("aws_kms_alias", "refresh-tokens/alias");
          expect(alias).to.include({ name: `alias/auth-${env}-refresh-tokens`, target_key_id: ref("aws_kms_key", k.id, "key_id") });
          const policy = s().at("aws_iam_policy_document", "refresh-tokens/policy", "data");
          expect(k.policy).to.equal(dataRef("aws_iam_policy_document", policy.id, "json"));
          expect(policy.statement.flatMap((st: any) => st.actions).filter((a: string) => a.includes("*"))).to.deep.equal([]);
          const use = policy.statement.filter((st: any) => st.sid !== "KeyAdministrationThroughIam");
          expect(use).to.have.length(1);
          expect(use[0].actions).to.deep.equal(["kms:GenerateMac"]);
          expect(use[0].condition).to.deep.equal([{ test: "StringEquals", variable: "kms:MacAlgorithm", values: ["HMAC_SHA_256"] }]);
        });
      });

      describe("secrets key", () => {
        it("creates a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key for second-factor secrets, usable only with SYMMETRIC_DEFAULT", () => {
          const k = secretsKey();
          expect(k).to.include({ customer_master_key_spec: "SYMMETRIC_DEFAULT", key_usage: "ENCRYPT_DECRYPT", deletion_window_in_days: 30 });
          const alias = s().at("aws_kms_alias", "secrets/alias");
          expect(alias).to.include({ name: `alias/auth-${env}-secrets`, target_key_id: ref("aws_kms_key", k.id, "key_id") });
          const policy = s().at("aws_iam_policy_document", "secrets/policy", "data");
          expect(k.policy).to.equal(dataRef("aws_iam_policy_document", policy.id, "json"));
          expect(policy.statement.flatMap((st: any) => st.actions).filter((a: string) => a.includes("*"))).to.deep.equal([]);
          const use = policy.statement.filter((st: any) => st.sid !== "KeyAdministrationThroughIam");
          expect(use).to.have.length(1);
          expect(use[0].actions).to.deep.equal(["kms:Encrypt", "kms:Decrypt"]);
          expect(use[0].condition).to.deep.equal([{ test: "StringEquals", variable: "kms:EncryptionAlgorithm", values: ["SYMMETRIC_DEFAULT"] }]);
        });

        it("grants Encrypt to enrolment only, and Decrypt only to the functions that check codes", () => {
          const grants = (action: string) =>
            functions.filter((spec) => policyOf(spec.name).statement.some((st: any) => st.sid === "SecretsKey" && st.actions.includes(action))).map((spec) => spec.name);
          expect(grants("kms:Encrypt")).to.deep.equal(["mfa-enrol"]);
          expect(grants("kms:Decrypt")).to.deep.equal(["mfa-confirm", "mfa-disable", "mfa-recovery-codes", "mfa-verify"]);
        });
      });

      describe("email (SES)", () => {
        const identity = () => s().at("aws_sesv2_email_identity", "email/identity");
        const configurationSet = () => s().at("aws_sesv2_configuration_set", "email/configuration-set");

        it("creates the identity from email_identity, attached to a configuration set that requires TLS and suppresses bounces", () => {
          expect(Object.keys(s().resources("aws_sesv2_email_identity"))).to.have.length(1);
          expect(Object.keys(s().resources("aws_sesv2_configuration_set"))).to.have.length(1);
          expect(identity()).to.include({
            email_identity: "${var.email_identity}",
            configuration_set_name: ref("aws_sesv2_configuration_set", configurationSet().id, "configuration_set_name"),
          });
          expect(configurationSet()).to.deep.include({
            configuration_set_name: `auth-${env}`,
            delivery_options: { tls_policy: "REQUIRE" },
            reputation_options: { reputation_metrics_enabled: true },
            sending_options: { sending_enabled: true },
            suppression_options: { suppressed_reasons: ["BOUNCE", "COMPLAINT"] },
          });
        });

        it("outputs the identity's DKIM tokens for the DNS records", () => {
          expect(s().json.output.dkim_tokens.value).to.equal(`\${${"aws_sesv2_email_identity"}.${identity().id}.dkim_signing_attributes[0].tokens}`);
          expect(s().json.output.dkim_tokens.description).to.include("_domainkey");
        });

        it("requires email_identity, email_from and app_url in every environment", () => {
          const declared = s().json.variable as Record<string, any>;
          for (const name of ["email_identity", "email_from", "app_url"]) {
            expect(declared[name], name).to.include({ type: "string" });
            expect(declared[name], name).not.to.have.property("default");
            expect(readTfvars(env), name).to.have.property(name);
          }
        });

        it("gives EMAIL_FROM, SES_CONFIGURATION_SET and APP_URL to exactly the functions that mail", () => {
          for (const spec of functions) {
            const vars = fn(spec.name).environment.variables;
            const mail = { EMAIL_FROM: "${var.email_from}", SES_CONFIGURATION_SET: ref("aws_sesv2_configuration_set", configurationSet().id, "configuration_set_name"), APP_URL: "${var.app_url}" };
            const given = present(vars, mail);
            expect(given, spec.name).to.deep.equal(EXPECTED_ACTIONS[spec.name].mail.length ? mail : {});
          }
        });
      });

      describe("custom domain (optional, from custom_domain and hosted_zone_id)", () => {
        const ENABLED = '${var.custom_domain != "" ? 1 : 0}';
        const WITH_ZONE = '${var.custom_domain != "" && var.hosted_zone_id != "" ? 1 : 0}';
        const one = (type: string, suffix: string) => s().at(type, `custom-domain/${suffix}`);
        const indexed = (type: string, suffix: string, attribute: string) => `\${${type}.${one(type, suffix).id}[0].${attribute}}`;

        it("exists only when custom_domain is set; Route 53 records only with a hosted zone", () => {
          expect(one("aws_acm_certificate", "certificate").count).to.equal(ENABLED);
          expect(one("aws_apigatewayv2_domain_name", "domain-name").count).to.equal(ENABLED);
          expect(one("aws_apigatewayv2_api_mapping", "mapping").count).to.equal(ENABLED);
          expect(one("aws_route53_record", "validation-record").count).to.equal(WITH_ZONE);
          expect(one("aws_acm_certificate_validation", "validation").count).to.equal(WITH_ZONE);
          expect(one("aws_route53_record", "alias-record").count).to.equal(WITH_ZONE);
        });

        it("a DNS-validated certificate, a regional TLS 1.2 domain name mapped to the $default stage, and an alias record", () => {
          expect(one("aws_acm_certificate", "certificate")).to.deep.include({ domain_name: "${var.custom_domain}", validation_method: "DNS", lifecycle: { create_before_destroy: true } });
          expect(one("aws_acm_certificate_validation", "validation")).to.deep.include({
            certificate_arn: indexed("aws_acm_certificate", "certificate", "arn"),
            validation_record_fqdns: [indexed("aws_route53_record", "validation-record", "fqdn")],
          });
          const dn = one("aws_apigatewayv2_domain_name", "domain-name");
          expect(dn.domain_name).to.equal("${var.custom_domain}");
          expect(dn.domain_name_configuration).to.deep.include({ endpoint_type: "REGIONAL", security_policy: "TLS_1_2" });
          // The issued certificate when Route 53 validates it, else the requested one (validated by hand first).
          expect(dn.domain_name_configuration.certificate_arn).to.equal(
            `\${coalesce(one(aws_acm_certificate_validation.${one("aws_acm_certificate_validation", "validation").id}[*].certificate_arn), aws_acm_certificate.${one("aws_acm_certificate", "certificate").id}[0].arn)}`,
          );
          expect(one("aws_apigatewayv2_api_mapping", "mapping")).to.deep.include({
            api_id: ref("aws_apigatewayv2_api", api().id, "id"),
            domain_name: indexed("aws_apigatewayv2_domain_name", "domain-name", "id"),
            stage: ref("aws_apigatewayv2_stage", s().at("aws_apigatewayv2_stage", "http/stage").id, "id"),
          });
          expect(one("aws_route53_record", "alias-record")).to.deep.include({
            zone_id: "${var.hosted_zone_id}",
            name: "${var.custom_domain}",
            type: "A",
            alias: {
              name: indexed("aws_apigatewayv2_domain_name", "domain-name", "domain_name_configuration[0].target_domain_name"),
              zone_id: indexed("aws_apigatewayv2_domain_name", "domain-name", "domain_name_configuration[0].hosted_zone_id"),
              evaluate_target_health: false,
            },
          });
        });

        it("the issuer follows the domain: https://<custom_domain> unless issuer is set, and outputs what to publish by hand", () => {
          expect(Object.values(s().json.locals)).to.deep.equal(['${var.custom_domain != "" ? "https://${var.custom_domain}" : ""}']);
          expect(s().json.output.token_issuer.value).to.equal(fn("login").environment.variables.ISSUER);
          expect(s().json.output.custom_domain_target.value).to.include("one(aws_apigatewayv2_domain_name.");
          expect(s().json.output.certificate_validation.value).to.match(/^\$\{var\.custom_domain != "" \? ".*resource_record_name.*resource_record_type.*resource_record_value\}" : null\}$/);
        });
      });

      it("outputs the API URL, table name and key ARN", () => {
        expect(s().json.output.api_url.value).to.equal(ref("aws_apigatewayv2_api", api().id, "api_endpoint"));
        expect(s().json.output.table_name.value).to.equal(ref("aws_dynamodb_table", table().id, "name"));
        expect(s().json.output.key_arn.value).to.equal(ref("aws_kms_key", key().id, "arn"));
      });
    });
  }

  describe("variable validation (every validation block, evaluated)", () => {
    const declared = () => stacks.dev.json.variable as Record<string, { default?: unknown; validation?: Array<{ condition: string; error_message: string }> }>;
    const passes = (name: string, value: unknown, context: Record<string, unknown> = {}) =>
      declared()[name].validation!.every((v) => evaluateCondition(v.condition, { ...context, [name]: value }));

    it("validates exactly the variables the expected table lists, the same in every environment", () => {
      const validated = Object.keys(declared()).filter((name) => declared()[name].validation?.length);
      expect(validated.sort()).to.deep.equal(Object.keys(EXPECTED_VALIDATIONS).sort());
      for (const env of ENVIRONMENTS) expect(stacks[env].json.variable, env).to.deep.equal(declared());
    });

    for (const [name, expected] of Object.entries(EXPECTED_VALIDATIONS)) {
      it(`${name}: accepts each expected value and refuses each one just outside`, () => {
        for (const value of expected.accepts) expect(passes(name, value, expected.context), `${name} = ${JSON.stringify(value)}`).to.equal(true);
        for (const value of expected.refuses) expect(passes(name, value, expected.context), `${name} = ${JSON.stringify(value)}`).to.equal(false);
      });

      if (expected.env) {
        const env = expected.env;
        it(`${name}: the functions' cold-start check of ${env} agrees with the Terraform bounds`, () => {
          const base = { ISSUER: "https://auth.example.com", TENANTS: "a,b", ...expected.envContext };
          const load = expected.load ?? loadConfig;
          const asEnv = (value: unknown) => (Array.isArray(value) ? value.join(",") : String(value));
          for (const value of expected.accepts) expect(() => load({ ...base, [env]: asEnv(value) }), `${env}=${asEnv(value)}`).not.to.throw();
          for (const value of expected.refuses) {
            const error = (() => {
              try {
                load({ ...base, [env]: asEnv(value) });
              } catch (e) {
                return e;
              }
            })();
            expect(error, `${env}=${asEnv(value)} must be refused at cold start`).to.be.instanceOf(ConfigError);
            expect((error as ConfigError).variable).to.equal(env);
          }
          // Unset, the function falls back to the same default Terraform sets.
          if (expected.field) expect((load(base) as Record<string, unknown>)[expected.field], `default of ${name}`).to.equal(declared()[name].default);
        });
      }
    }

    for (const env of ENVIRONMENTS) {
      it(`environments/${env}.tfvars.json passes every validation`, () => {
        const values = {
          ...Object.fromEntries(Object.entries(declared()).filter(([, v]) => "default" in v).map(([k, v]) => [k, v.default])),
          ...readTfvars(env),
        };
        for (const [name, variable] of Object.entries(declared())) {
          for (const { condition } of variable.validation ?? []) expect(evaluateCondition(condition, values), `${env}: ${name}`).to.equal(true);
        }
      });
    }
  });

  describe("email_from with an address identity", () => {
    it("hosted_zone_id needs custom_domain", () => {
      const condition = (stacks.dev.json.variable as any).hosted_zone_id.validation[0].condition;
      expect(evaluateCondition(condition, { hosted_zone_id: "Z0123456789ABCDEFGHIJ", custom_domain: "" })).to.equal(false);
    });

    it("refresh_cookie_same_site = None needs refresh_cookie_secure (browsers drop an insecure None cookie)", () => {
      const condition = (stacks.dev.json.variable as any).refresh_cookie_same_site.validation[0].condition;
      expect(evaluateCondition(condition, { refresh_cookie_same_site: "None", refresh_cookie_secure: false })).to.equal(false);
      expect(evaluateCondition(condition, { refresh_cookie_same_site: "Lax", refresh_cookie_secure: false })).to.equal(true);
    });

    it("an address identity admits only itself as email_from", () => {
      const condition = (stacks.dev.json.variable as any).email_from.validation[0].condition;
      for (const from of ADDRESS_IDENTITY.accepts) expect(evaluateCondition(condition, { email_identity: ADDRESS_IDENTITY.identity, email_from: from }), from).to.equal(true);
      for (const from of ADDRESS_IDENTITY.refuses) expect(evaluateCondition(condition, { email_identity: ADDRESS_IDENTITY.identity, email_from: from }), from).to.equal(false);
    });
  });

  describe("remote state", () => {
    it("uses S3 with locking and encryption when environments/<env>.backend.json exists", async () => {
      const { root } = await synthAll();
      const environmentsDir = mkdtempSync(join(tmpdir(), "auth-envs-"));
      try {
        writeFileSync(join(environmentsDir, "staging.backend.json"), JSON.stringify({ bucket: "team-state", region: "eu-west-1" }));
        const app = new App({ outdir: join(root, "backend-test") });
        const bundles = Object.fromEntries(functions.map((f) => [f.name, join(root, "bundles", f.name)])) as never;
        const stack = new AuthStack(app, "auth-staging", { environment: "staging", bundles, environmentsDir });
        const other = new AuthStack(app, "auth-dev", { environment: "dev", bundles, environmentsDir });
        app.synth();
        const read = (name: string) => JSON.parse(readFileSync(join(root, "backend-test", "stacks", name, "cdk.tf.json"), "utf8"));
        expect(read(stack.node.id).terraform.backend).to.deep.equal({
          s3: { bucket: "team-state", key: "auth/staging.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true },
        });
        expect(read(other.node.id).terraform.backend).to.have.property("local");
        // Where remote state is required, the file is enough; without it the synth stops, naming the file.
        const strict = new App({ outdir: join(root, "backend-strict") });
        new AuthStack(strict, "auth-staging", { environment: "staging", bundles, environmentsDir, requireRemoteState: true });
        const missing = (() => {
          try {
            new AuthStack(strict, "auth-dev", { environment: "dev", bundles, environmentsDir, requireRemoteState: true });
          } catch (error) {
            return error;
          }
        })();
        expect(missing).to.be.instanceOf(MissingBackendError);
        expect((missing as Error).message).to.include(join(environmentsDir, "dev.backend.json")).and.include("REQUIRE_REMOTE_STATE=false");
      } finally {
        rmSync(environmentsDir, { recursive: true, force: true });
      }
    });

    it("requires remote state in GitHub Actions and when REQUIRE_REMOTE_STATE=true, never on a laptop by default", () => {
      expect(remoteStateRequired({})).to.equal(false);
      expect(remoteStateRequired({ CI: "true" }), "any CI but GitHub Actions (e.g. this repository's .ci/run) only tests").to.equal(false);
      expect(remoteStateRequired({ GITHUB_ACTIONS: "true" })).to.equal(true);
      expect(remoteStateRequired({ GITHUB_ACTIONS: "true", REQUIRE_REMOTE_STATE: "false" }), "an explicit throwaway synth").to.equal(false);
      expect(remoteStateRequired({ REQUIRE_REMOTE_STATE: "true" })).to.equal(true);
    });

    it("every stack requires the Terraform the configuration needs, and both workflows pin a version inside it", async () => {
      for (const env of ENVIRONMENTS) expect(stacks[env].json.terraform.required_version, env).to.equal(">= 1.10.0");
      for (const workflow of ["plan.yml", "deploy.yml"]) {
        const pinned = /terraform_version: (\d+)\.(\d+)\.(\d+)/.exec(readFileSync(join(ROOT, ".github", "workflows", workflow), "utf8"));
        expect(pinned, workflow).not.to.equal(null);
        const [major, minor] = [Number(pinned![1]), Number(pinned![2])];
        expect(major > 1 || (major === 1 && minor >= 10), `${workflow} pins ${pinned![0]}`).to.equal(true);
      }
    });
  });
});
