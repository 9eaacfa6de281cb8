import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { functions } from "../handlers/functions.js";
import { ROOT } from "../bundle/bundler.js";
import { renderReview, reviewEnvironment } from "../scripts/review.js";
import { EXPECTED_ROUTES } from "./helpers/expected-routes.js";
import { removeSynth, synthAll } from "./helpers/synth.js";

describe("npm run review", function () {
  this.timeout(180_000);
  let text: string;
  let prodJson: Record<string, any>;
  const tfvars = JSON.parse(readFileSync(join(ROOT, "environments", "prod.tfvars.json"), "utf8"));

  before(async () => {
    const { stacks } = await synthAll();
    prodJson = stacks.prod.json;
    text = renderReview("prod", prodJson, tfvars);
  });
  after(removeSynth);

  it("lists every route with its auth and function", () => {
    const listed = text.split("\n").filter((line) => /^- (GET|POST|PUT|PATCH|DELETE) \//.test(line));
    expect(listed, "one line per route").to.have.length(Object.keys(EXPECTED_ROUTES).length);
    for (const [routeKey, { auth, handler }] of Object.entries(EXPECTED_ROUTES)) {
      const shown = { none: "public", bearer: "bearer \\(Lambda authorizer\\)", strict: "strict \\(authorizer \\+ session read\\)" }[auth];
      expect(text).to.match(new RegExp(`- ${routeKey.replace(/[.{}]/g, "\\$&")}\\s+${shown}\\s+-> auth-prod-${handler}\\n`));
    }
    expect(text).to.include("authorizer: REQUEST, payload 2.0, simple responses true, identity $request.header.Authorization, cache 60 (var.authorizer_cache_ttl_seconds) s");
  });

  it("lists every function with its IAM actions on named resources", () => {
    for (const spec of functions) expect(text).to.include(`- auth-prod-${spec.name}: nodejs22.x arm64`);
    expect(text).to.match(/auth-prod-login:[^\n]*\n[^\n]*logs:CreateLogStream, logs:PutLogEvents on log group \/aws\/lambda\/auth-prod-login \(its streams\)\n\s+Allow dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem on table auth-prod-users if dynamodb:LeadingKeys ForAllValues:StringLike USER#\*\|SESSION#\*\|LOGIN#\*\|SOURCE#\*\|MFATOKEN#\*\n\s+Allow kms:Sign on signing key \(alias\/auth-prod-signing\)/);
    expect(text).to.match(/auth-prod-authorizer:[^\n]*\n[^\n]*on log group \/aws\/lambda\/auth-prod-authorizer \(its streams\)\n\s+env:/);
  });

  it("shows table and key settings with this environment's values", () => {
    expect(text).to.include("- table auth-prod-users: PAY_PER_REQUEST, key pk/sk, TTL expires_at on, point-in-time recovery on, encryption on, deletion protection true (var.deletion_protection)");
    expect(text).to.include("- signing key (alias/auth-prod-signing): ECC_NIST_P256 SIGN_VERIFY, deletion window 30 days");
    expect(text).to.include("key policy SigningThroughIam: 1 actions (kms:Sign) for the account's IAM principals if kms:SigningAlgorithm StringEquals ECDSA_SHA_256");
    expect(text).to.include("- secrets key (alias/auth-prod-secrets): SYMMETRIC_DEFAULT ENCRYPT_DECRYPT, deletion window 30 days");
    expect(text).to.include("key policy EncryptDecryptThroughIam: 2 actions (kms:Encrypt, kms:Decrypt) for the account's IAM principals if kms:EncryptionAlgorithm StringEquals SYMMETRIC_DEFAULT");
  });

  it("lists every variable with its value and where it comes from", () => {
    expect(text).to.include(`- cors_allowed_origins = ${JSON.stringify(tfvars.cors_allowed_origins)} (tfvars)`);
    expect(text).to.include(`- log_retention_days = ${tfvars.log_retention_days} (tfvars)`);
    expect(text).to.include(`- throttling_rate_limit = ${tfvars.throttling_rate_limit} (tfvars)`);
    expect(text).to.include("- stage $default (auto-deploy true): throttling rate 200 (var.throttling_rate_limit), burst 400 (var.throttling_burst_limit)");
    for (const route of ["POST /auth/login", "POST /auth/refresh", "POST /auth/register"]) {
      expect(text).to.include(`    route ${route}: throttling rate 50 (var.credential_route_rate_limit), burst 100 (var.credential_route_burst_limit)`);
    }
    const { issuer: _unused, previous_public_keys: _alsoUnused, ...rest } = tfvars;
    for (const name of Object.keys(rest)) expect(text).to.match(new RegExp(`- ${name} = .* \\(tfvars\\)`));
  });

  it("says where it answers, what it signs as, the refresh cookie's attributes and where state lives", () => {
    const section = text.slice(text.indexOf("## Domain, issuer, refresh cookie and state"), text.indexOf("## Variables"));
    expect(section.trim().split("\n").slice(1)).to.deep.equal([
      "- domain: none: the execute-api URL only",
      "- issuer: the API's execute-api URL",
      "- refresh cookie: HttpOnly; Secure; SameSite=Strict; Path=/auth; host-only",
      "- state: local file ../../../terraform.auth-prod.tfstate: on this machine only (CI refuses it)",
    ]);
    const custom = renderReview(
      "prod",
      { ...prodJson, terraform: { backend: { s3: { bucket: "team-state", key: "auth/prod.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true } } } },
      { ...tfvars, custom_domain: "auth.example.com", hosted_zone_id: "Z0123456789ABCDEFGHIJ", refresh_cookie_same_site: "None", refresh_cookie_domain: "example.com" },
    );
    for (const line of [
      "- domain: auth.example.com (ACM certificate, API Gateway domain name; DNS in Route 53 zone Z0123456789ABCDEFGHIJ)",
      "- issuer: https://auth.example.com",
      "- refresh cookie: HttpOnly; Secure; SameSite=None; Path=/auth; Domain=example.com",
      "- state: S3 s3://team-state/auth/prod.tfstate in eu-west-1, encrypted, locked by S3 lockfile",
    ]) {
      expect(custom.split("\n"), line).to.include(line);
    }
  });

  it("refuses an unknown environment by name", async () => {
    const error = await reviewEnvironment("qa").catch((e) => e);
    expect(error.message).to.equal('unknown environment "qa": use one of dev, staging, prod');
  });
});
