/**
 * The account's bootstrap stack (auth-bootstrap), checked on the synthesized Terraform JSON:
 * the state bucket, GitHub's OIDC provider, and per environment a plan role and a deploy role
 * with exact actions and trust conditions. Expected actions are written out here, so widening
 * a role fails this test.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { functions } from "../handlers/functions.js";
import { ENVIRONMENTS } from "../stacks/app.js";
import { dataRef, ref, removeSynth, synthAll, wrapStack, type SynthStack } from "./helpers/synth.js";
import { evaluateCondition } from "./helpers/terraform-expression.js";

const PARTITION = "${data.aws_partition.partition.partition}";
const ACCOUNT = "${data.aws_caller_identity.account.account_id}";
const REGION = "${var.region}";

/** The deploy role's statements for `env`, by sid: actions and resources, written out. */
const expectedDeploy = (env: string): Record<string, { actions: string[]; resources: string[]; condition?: unknown }> => {
  const arn = (service: string, resource: string) => `arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}`;
  const roles = functions.map((fn) => `arn:${PARTITION}:iam::${ACCOUNT}:role/auth-${env}-${fn.name}-lambda`);
  return {
    State: {
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: [`arn:${PARTITION}:s3:::\${var.state_bucket}/auth/${env}.tfstate`, `arn:${PARTITION}:s3:::\${var.state_bucket}/auth/${env}.tfstate.tflock`],
    },
    StateBucket: { actions: ["s3:ListBucket"], resources: [`arn:${PARTITION}:s3:::\${var.state_bucket}`] },
    Functions: {
      actions: [
        "lambda:AddPermission", "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetPolicy", "lambda:ListTags", "lambda:ListVersionsByFunction", "lambda:RemovePermission", "lambda:TagResource",
        "lambda:UntagResource", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
      ],
      resources: [arn("lambda", `function:auth-${env}-*`)],
    },
    FunctionRoles: {
      actions: [
        "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
      ],
      resources: roles,
    },
    PassFunctionRoles: {
      actions: ["iam:PassRole"],
      resources: roles,
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["lambda.amazonaws.com"] }],
    },
    Table: {
      actions: [
        "dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
        "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
      ],
      resources: [arn("dynamodb", `table/auth-${env}-users`), arn("dynamodb", `table/auth-${env}-users/index/*`)],
    },
    CreateKeys: { actions: ["kms:CreateKey"], resources: ["*"], condition: [{ test: "StringEquals", variable: "aws:RequestTag/environment", values: [env] }] },
    ManageKeys: {
      actions: [
        "kms:CancelKeyDeletion", "kms:DescribeKey", "kms:DisableKey", "kms:EnableKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetPublicKey",
        "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:ScheduleKeyDeletion",
        "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:EnableKeyRotation",
      ],
      resources: [arn("kms", "key/*")],
      condition: [{ test: "StringEquals", variable: "aws:ResourceTag/environment", values: [env] }],
    },
    KeyAliases: { actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], resources: [arn("kms", `alias/auth-${env}-*`), arn("kms", "key/*")] },
    ListKeys: { actions: ["kms:ListAliases"], resources: ["*"] },
    LogGroups: {
      actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:ListTagsForResource", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
      resources: [arn("logs", `log-group:/aws/lambda/auth-${env}-*`), arn("logs", `log-group:/aws/apigateway/auth-${env}`)],
    },
    AccessLogDelivery: {
      actions: [
        "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:GetLogDelivery",
        "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
      ],
      resources: ["*"],
    },
    HttpApi: {
      actions: ["apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT", "apigateway:TagResource", "apigateway:UntagResource"],
      resources: [
        `arn:${PARTITION}:apigateway:${REGION}::/apis`,
        `arn:${PARTITION}:apigateway:${REGION}::/apis/*`,
        `arn:${PARTITION}:apigateway:${REGION}::/domainnames`,
        `arn:${PARTITION}:apigateway:${REGION}::/domainnames/*`,
        `arn:${PARTITION}:apigateway:${REGION}::/tags/*`,
      ],
    },
    RequestCertificate: {
      actions: ["acm:RequestCertificate", "acm:AddTagsToCertificate"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:RequestTag/environment", values: [env] }],
    },
    Certificates: {
      actions: ["acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate", "acm:RemoveTagsFromCertificate"],
      resources: [arn("acm", "certificate/*")],
      condition: [{ test: "StringEquals", variable: "aws:ResourceTag/environment", values: [env] }],
    },
    DnsRecords: {
      actions: ["route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets"],
      resources: [`arn:${PARTITION}:route53:::hostedzone/*`],
    },
    DnsChanges: { actions: ["route53:GetChange"], resources: [`arn:${PARTITION}:route53:::change/*`] },
    Email: {
      actions: [
        "ses:CreateConfigurationSet", "ses:CreateEmailIdentity", "ses:DeleteConfigurationSet", "ses:DeleteEmailIdentity", "ses:GetConfigurationSet",
        "ses:GetEmailIdentity", "ses:ListTagsForResource", "ses:PutConfigurationSetDeliveryOptions", "ses:PutConfigurationSetReputationOptions",
        "ses:PutConfigurationSetSendingOptions", "ses:PutConfigurationSetSuppressionOptions", "ses:PutEmailIdentityConfigurationSetAttributes",
        "ses:TagResource", "ses:UntagResource",
      ],
      resources: [arn("ses", "identity/*"), arn("ses", `configuration-set/auth-${env}`)],
    },
  };
};

describe("auth-bootstrap (synthesized Terraform)", function () {
  this.timeout(180_000);
  let s: SynthStack;
  let root: string;
  before(async () => {
    root = (await synthAll()).root;
    s = wrapStack("auth-bootstrap", join(root, "cdktf.out", "stacks", "auth-bootstrap"));
  });
  after(removeSynth);

  const bucket = () => s.at("aws_s3_bucket", "state");
  const bucketRef = (attribute: string) => ref("aws_s3_bucket", bucket().id, attribute);
  const policyDoc = (suffix: string) => s.at("aws_iam_policy_document", suffix, "data");

  it("keeps its own state local (it creates the bucket the others use) and requires Terraform 1.10+", () => {
    expect(s.json.terraform.backend).to.deep.equal({ local: { path: "../../../terraform.auth-bootstrap.tfstate" } });
    expect(s.json.terraform.required_version).to.equal(">= 1.10.0");
  });

  it("creates the state bucket versioned, encrypted, private, owner-enforced and TLS-only", () => {
    expect(bucket().bucket).to.equal("${var.state_bucket}");
    expect(s.at("aws_s3_bucket_versioning", "state-versioning")).to.deep.include({ bucket: bucketRef("id"), versioning_configuration: { status: "Enabled" } });
    expect(s.at("aws_s3_bucket_server_side_encryption_configuration", "state-encryption").rule).to.deep.equal([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: true },
    ]);
    expect(s.at("aws_s3_bucket_public_access_block", "state-public-access")).to.include({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(s.at("aws_s3_bucket_ownership_controls", "state-ownership").rule).to.deep.equal({ object_ownership: "BucketOwnerEnforced" });
    const tls = policyDoc("state-tls-only");
    expect(tls.statement).to.deep.equal([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        principals: [{ type: "*", identifiers: ["*"] }],
        resources: [bucketRef("arn"), `${bucketRef("arn")}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
    expect(s.at("aws_s3_bucket_policy", "state-policy").policy).to.equal(dataRef("aws_iam_policy_document", tls.id, "json"));
  });

  it("trusts GitHub Actions' OIDC issuer for the STS audience", () => {
    expect(s.at("aws_iam_openid_connect_provider", "github")).to.deep.include({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
  });

  for (const env of ENVIRONMENTS) {
    describe(`roles for ${env}`, () => {
      const trustOf = (githubEnvironment: string) => ({
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [ref("aws_iam_openid_connect_provider", s.at("aws_iam_openid_connect_provider", "github").id, "arn")] }],
        condition: [
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: [`repo:\${var.github_repository}:environment:${githubEnvironment}`] },
        ],
      });

      it(`the plan role: only jobs of GitHub environment ${env}-plan in the repository; read-only plus the state lock object`, () => {
        const role = s.at("aws_iam_role", `${env}-plan`);
        expect(role.name).to.equal(`auth-${env}-plan`);
        const trust = policyDoc(`${env}-plan-trust`);
        expect(trust.statement).to.deep.equal([trustOf(`${env}-plan`)]);
        expect(role.assume_role_policy).to.equal(dataRef("aws_iam_policy_document", trust.id, "json"));
        const attachments = Object.values(s.resources("aws_iam_role_policy_attachment")).filter((a) => a.role === ref("aws_iam_role", role.id, "name"));
        expect(attachments.map((a) => a.policy_arn)).to.deep.equal([`arn:${PARTITION}:iam::aws:policy/ReadOnlyAccess`]);
        const inline = Object.values(s.resources("aws_iam_role_policy")).filter((p) => p.role === ref("aws_iam_role", role.id, "id"));
        expect(inline).to.have.length(1);
        const lock = policyDoc(`${env}-plan-lock`);
        expect(inline[0].policy).to.equal(dataRef("aws_iam_policy_document", lock.id, "json"));
        expect(lock.statement).to.deep.equal([
          { sid: "StateLock", effect: "Allow", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`${bucketRef("arn")}/auth/${env}.tfstate.tflock`] },
        ]);
      });

      it(`the deploy role: only jobs of GitHub environment ${env}; exactly the actions and name prefixes auth-${env} needs`, () => {
        const role = s.at("aws_iam_role", `${env}-deploy`);
        expect(role.name).to.equal(`auth-${env}-deploy`);
        const trust = policyDoc(`${env}-deploy-trust`);
        expect(trust.statement).to.deep.equal([trustOf(env)]);
        expect(Object.values(s.resources("aws_iam_role_policy_attachment")).filter((a) => a.role === ref("aws_iam_role", role.id, "name"))).to.deep.equal([]);
        const permissions = policyDoc(`${env}-deploy-permissions`);
        const inline = Object.values(s.resources("aws_iam_role_policy")).filter((p) => p.role === ref("aws_iam_role", role.id, "id"));
        expect(inline.map((p) => p.policy)).to.deep.equal([dataRef("aws_iam_policy_document", permissions.id, "json")]);
        const actual = Object.fromEntries(
          permissions.statement.map((st: any) => {
            expect(st.effect, st.sid).to.equal("Allow");
            return [st.sid, { actions: st.actions, resources: st.resources, ...(st.condition ? { condition: st.condition } : {}) }];
          }),
        );
        expect(actual).to.deep.equal(expectedDeploy(env));
        // Nothing but S3 on the state, and only on this environment's objects. (`auth-` as a
        // name's start: the functions oauth-token and oauth-revoke hold it too.)
        for (const st of permissions.statement) expect(JSON.stringify(st.resources)).not.to.match(new RegExp(`(?<![a-z])auth-(?!${env}\\b)[a-z]+-`));
      });

      it(`the roles it may create and pass are exactly the function roles auth-${env} declares`, async () => {
        const authStack = (await synthAll()).stacks[env];
        const declared = Object.values(authStack.resources("aws_iam_role")).map((r) => `arn:${PARTITION}:iam::${ACCOUNT}:role/${r.name}`).sort();
        expect(expectedDeploy(env).PassFunctionRoles.resources.slice().sort()).to.deep.equal(declared);
      });
    });
  }

  it("outputs each environment's role ARNs and backend file contents", () => {
    const outputs = s.json.output;
    for (const env of ENVIRONMENTS) {
      expect(outputs.role_arns.value[env]).to.deep.equal({ plan: `\${aws_iam_role.${s.at("aws_iam_role", `${env}-plan`).id}.arn}`, deploy: `\${aws_iam_role.${s.at("aws_iam_role", `${env}-deploy`).id}.arn}` });
      expect(outputs.backend_files.value[env]).to.equal(`\${jsonencode({"bucket" = aws_s3_bucket.${bucket().id}.bucket, "region" = var.region, "use_lockfile" = true})}`);
    }
  });

  it("the README's operator permission list names every service the deploy role may use, and points at its source", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("**The deploy role's permissions**"), readme.indexOf("An operator who deploys by hand needs the same."));
    expect(section).to.include("stacks/deploy-permissions.ts");
    const services = new Set(Object.values(expectedDeploy("dev")).flatMap((st) => st.actions.map((action) => action.split(":")[0])));
    const named: Record<string, RegExp> = {
      s3: /state objects/, lambda: /Lambda functions/, iam: /iam:PassRole/, dynamodb: /table `auth-<env>-users`/, kms: /KMS/,
      logs: /log groups/, apigateway: /API Gateway/, ses: /SES identity/, acm: /certificate/i, route53: /Route 53/,
    };
    expect([...services].sort()).to.deep.equal(Object.keys(named).sort());
    for (const [service, mention] of Object.entries(named)) expect(section, service).to.match(mention);
  });

  it("validates its variables, and environments/bootstrap.tfvars.json passes", () => {
    const variables = s.json.variable as Record<string, { validation?: Array<{ condition: string }> }>;
    const passes = (name: string, value: string) => variables[name].validation!.every((v) => evaluateCondition(v.condition, { [name]: value }));
    for (const ok of ["octo-org/auth", "a/b.c_d-e"]) expect(passes("github_repository", ok), ok).to.equal(true);
    for (const bad of ["octo-org", "octo-org/auth/x", "https://github.com/a/b", "a b/c"]) expect(passes("github_repository", bad), bad).to.equal(false);
    for (const ok of ["team-state", "a.b-c1"]) expect(passes("state_bucket", ok), ok).to.equal(true);
    for (const bad of ["ab", "Team-State", "-state", "state-", "a..b", "x".repeat(64)]) expect(passes("state_bucket", bad), bad).to.equal(false);
    const tfvars = JSON.parse(readFileSync(join(ROOT, "environments", "bootstrap.tfvars.json"), "utf8")) as Record<string, string>;
    expect(Object.keys(tfvars).sort()).to.deep.equal(Object.keys(variables).sort());
    for (const [name, value] of Object.entries(tfvars)) if (variables[name].validation) expect(passes(name, value), name).to.equal(true);
  });
});
