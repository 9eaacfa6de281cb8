import { expect } from "chai";
import { loadConfig, loadCookieSettings, loadLimits, logLevel } from "../handlers/lib/runtime/config.js";
import { createLogger } from "../handlers/lib/runtime/logger.js";
import { ConfigError } from "../handlers/lib/domain/errors.js";
import { loadVerificationKeys } from "../handlers/lib/runtime/keys-from-env.js";
import { spkiOf } from "../handlers/lib/domain/keys.js";
import { signerFromEnv } from "../handlers/lib/runtime/signer-from-env.js";
import { p256 } from "./helpers/keys.js";

const base = { ISSUER: "https://auth.example.com", TENANTS: "default, acme" };
const failure = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
};

describe("configuration", () => {
  it("reads defaults and lists", () => {
    expect(loadConfig(base)).to.deep.equal({
      issuer: "https://auth.example.com",
      tenants: ["default", "acme"],
      defaultTenant: "default",
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2_592_000,
      refreshReuseGraceSeconds: 10,
      passwordMinLength: 12,
      clockToleranceSeconds: 60,
      emailVerificationTtlSeconds: 86_400,
      passwordResetTtlSeconds: 1800,
      requireEmailVerification: true,
    });
    expect(loadConfig({ ...base, DEFAULT_TENANT: "acme", ACCESS_TOKEN_TTL_SECONDS: "300" })).to.include({ defaultTenant: "acme", accessTokenTtlSeconds: 300 });
  });

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ["ISSUER", { TENANTS: "a" }, /ISSUER is required/],
    ["TENANTS", { ISSUER: "x" }, /TENANTS is required/],
    ["TENANTS", { ...base, TENANTS: " , " }, /TENANTS must list/],
    ["TENANTS", { ...base, TENANTS: "good,Bad#Tenant" }, /TENANTS entry "Bad#Tenant"/],
    ["DEFAULT_TENANT", { ...base, DEFAULT_TENANT: "other" }, /DEFAULT_TENANT must be one of TENANTS/],
    ["ACCESS_TOKEN_TTL_SECONDS", { ...base, ACCESS_TOKEN_TTL_SECONDS: "15m" }, /integer from 60 to 86400, got "15m"/],
    ["PASSWORD_MIN_LENGTH", { ...base, PASSWORD_MIN_LENGTH: "4" }, /integer from 8/],
    ["CLOCK_TOLERANCE_SECONDS", { ...base, CLOCK_TOLERANCE_SECONDS: "300" }, /from 0 to 60/],
    ["EMAIL_VERIFICATION_TTL_SECONDS", { ...base, EMAIL_VERIFICATION_TTL_SECONDS: "604801" }, /from 300 to 604800/],
    ["PASSWORD_RESET_TTL_SECONDS", { ...base, PASSWORD_RESET_TTL_SECONDS: "30m" }, /from 300 to 86400, got "30m"/],
    ["REQUIRE_EMAIL_VERIFICATION", { ...base, REQUIRE_EMAIL_VERIFICATION: "yes" }, /must be true or false, got "yes"/],
    ["REQUIRE_EMAIL_VERIFICATION", { ...base, REQUIRE_EMAIL_VERIFICATION: "FALSE" }, /must be true or false/],
  ];
  for (const [variable, env, message] of cases) {
    it(`names ${variable} when it is missing or bad (${JSON.stringify(env).slice(0, 60)})`, () => {
      const error = failure(() => loadConfig(env));
      expect(error.variable).to.equal(variable);
      expect(error.message).to.match(message);
    });
  }

  it("reads LOG_LEVEL: info by default, the four levels, and nothing else", () => {
    expect(logLevel({})).to.equal("info");
    expect(logLevel({ LOG_LEVEL: " " })).to.equal("info");
    for (const level of ["debug", "info", "warn", "error"]) expect(logLevel({ LOG_LEVEL: level })).to.equal(level);
    for (const bad of ["verbose", "INFO", "trace", "warning", "0"]) {
      const error = failure(() => logLevel({ LOG_LEVEL: bad }));
      expect(error.variable).to.equal("LOG_LEVEL");
      expect(error.message).to.equal(`configuration: LOG_LEVEL must be debug, info, warn or error, got "${bad}"`);
    }
  });

  it("a function's logger refuses a bad LOG_LEVEL at cold start and honours a good one", () => {
    expect(failure(() => createLogger("me", "verbose")).variable).to.equal("LOG_LEVEL");
    const lines: string[] = [];
    const logger = createLogger("me", "warn", (line) => lines.push(line));
    logger.info("hidden");
    logger.warn("shown");
    expect(lines.map((line) => JSON.parse(line).message)).to.deep.equal(["shown"]);
  });

  it("parses JWT_PUBLIC_KEYS and names a bad entry by position", () => {
    const a = p256();
    const b = p256();
    const keys = loadVerificationKeys({ JWT_PUBLIC_KEYS: `${spkiOf(a.publicKey)},${spkiOf(b.publicKey)}` });
    expect(keys.map((k) => k.kid)).to.deep.equal([a.verification.kid, b.verification.kid]);
    expect(failure(() => loadVerificationKeys({})).variable).to.equal("JWT_PUBLIC_KEYS");
    // Only separators: no key at all would make the authorizer refuse every token in silence.
    expect(failure(() => loadVerificationKeys({ JWT_PUBLIC_KEYS: " , " })).message).to.equal("configuration: JWT_PUBLIC_KEYS must list at least one value");
    expect(failure(() => loadVerificationKeys({ JWT_PUBLIC_KEYS: `${spkiOf(a.publicKey)},bm90IGEga2V5` })).message).to.match(/entry 2/);
  });

  it("requires a signing key: KMS in AWS or a key file locally", () => {
    expect(failure(() => signerFromEnv({})).variable).to.equal("SIGNING_KEY_ID");
  });

  describe("abuse limits", () => {
    it("reads the documented defaults", () => {
      expect(loadLimits({})).to.deep.equal({
        lockoutMaxFailures: 5,
        lockoutBaseSeconds: 30,
        lockoutMaxSeconds: 900,
        sourceWindowSeconds: 300,
        sourceFailedLoginsPerWindow: 100,
        sourceSignupsPerWindow: 20,
        accountEmailsPerWindow: 3,
        emailRequestMinMs: 1000,
      });
      expect(loadLimits({ LOCKOUT_BASE_SECONDS: "900", LOCKOUT_MAX_SECONDS: "900" })).to.include({ lockoutBaseSeconds: 900, lockoutMaxSeconds: 900 });
    });

    const limitCases: Array<[string, Record<string, string>, RegExp]> = [
      ["LOCKOUT_MAX_FAILURES", { LOCKOUT_MAX_FAILURES: "21" }, /from 1 to 20, got "21"/],
      ["LOCKOUT_MAX_FAILURES", { LOCKOUT_MAX_FAILURES: "0" }, /from 1 to 20/],
      ["LOCKOUT_BASE_SECONDS", { LOCKOUT_BASE_SECONDS: "3601" }, /from 1 to 3600/],
      ["LOCKOUT_MAX_SECONDS", { LOCKOUT_MAX_SECONDS: "86401" }, /from 1 to 86400/],
      ["LOCKOUT_MAX_SECONDS", { LOCKOUT_BASE_SECONDS: "60", LOCKOUT_MAX_SECONDS: "59" }, /at least LOCKOUT_BASE_SECONDS \(60\), got 59/],
      ["LOCKOUT_MAX_SECONDS", { LOCKOUT_BASE_SECONDS: "1000" }, /at least LOCKOUT_BASE_SECONDS \(1000\), got 900/],
      ["SOURCE_WINDOW_SECONDS", { SOURCE_WINDOW_SECONDS: "5" }, /from 10 to 86400/],
      ["SOURCE_FAILED_LOGINS_PER_WINDOW", { SOURCE_FAILED_LOGINS_PER_WINDOW: "0" }, /from 1 to 1000000/],
      ["SOURCE_SIGNUPS_PER_WINDOW", { SOURCE_SIGNUPS_PER_WINDOW: "many" }, /got "many"/],
      ["ACCOUNT_EMAILS_PER_WINDOW", { ACCOUNT_EMAILS_PER_WINDOW: "101" }, /from 1 to 100/],
      ["EMAIL_REQUEST_MIN_MS", { EMAIL_REQUEST_MIN_MS: "10001" }, /from 0 to 10000/],
    ];
    for (const [variable, env, message] of limitCases) {
      it(`names ${variable} when it is bad (${JSON.stringify(env)})`, () => {
        const error = failure(() => loadLimits(env));
        expect(error.variable).to.equal(variable);
        expect(error.message).to.match(message);
      });
    }
  });

  describe("refresh cookie", () => {
    it("defaults to HttpOnly-by-construction attributes: SameSite=Strict, Path=/auth, Secure, host-only", () => {
      expect(loadCookieSettings({})).to.deep.equal({ sameSite: "Strict", path: "/auth", secure: true });
      expect(loadCookieSettings({ REFRESH_COOKIE_DOMAIN: "" }), "empty means host-only, as Terraform's default").to.deep.equal({ sameSite: "Strict", path: "/auth", secure: true });
      expect(loadCookieSettings({ REFRESH_COOKIE_SAME_SITE: "None", REFRESH_COOKIE_DOMAIN: "example.com", REFRESH_COOKIE_PATH: "/" })).to.deep.equal({
        sameSite: "None",
        domain: "example.com",
        path: "/",
        secure: true,
      });
    });

    const cookieCases: Array<[string, Record<string, string>, RegExp]> = [
      ["REFRESH_COOKIE_SAME_SITE", { REFRESH_COOKIE_SAME_SITE: "strict" }, /Strict, Lax or None, got "strict"/],
      ["REFRESH_COOKIE_SAME_SITE", { REFRESH_COOKIE_SAME_SITE: "None", REFRESH_COOKIE_SECURE: "false" }, /None needs REFRESH_COOKIE_SECURE=true/],
      ["REFRESH_COOKIE_SECURE", { REFRESH_COOKIE_SECURE: "no" }, /true or false/],
      ["REFRESH_COOKIE_DOMAIN", { REFRESH_COOKIE_DOMAIN: ".example.com" }, /lower-case domain/],
      ["REFRESH_COOKIE_DOMAIN", { REFRESH_COOKIE_DOMAIN: "example.com; Secure" }, /lower-case domain/],
      ["REFRESH_COOKIE_PATH", { REFRESH_COOKIE_PATH: "/me" }, /\/auth or \//],
    ];
    for (const [variable, env, message] of cookieCases) {
      it(`names ${variable} when it is bad (${JSON.stringify(env)})`, () => {
        const error = failure(() => loadCookieSettings(env));
        expect(error.variable).to.equal(variable);
        expect(error.message).to.match(message);
      });
    }
  });
});
