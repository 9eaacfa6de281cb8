import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { Fn, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { REQUIRED_TERRAFORM } from "./backend.js";
import { deployPermissions } from "./deploy-permissions.js";

/** GitHub Actions' OIDC issuer: workflows get short-lived role sessions, no stored AWS keys. */
export const GITHUB_OIDC = { url: "https://token.actions.githubusercontent.com", host: "token.actions.githubusercontent.com", audience: "sts.amazonaws.com" };

export interface BootstrapStackProps {
  /** The environments whose roles and state keys it creates (stacks/app.ts ENVIRONMENTS). */
  environments: readonly string[];
}

/**
 * `auth-bootstrap`: once per AWS account and region, before any `auth-<env>`. It holds what
 * the environments' own stacks cannot create for themselves: the state bucket, GitHub's OIDC
 * provider, and per environment a plan role (read-only, plus the one lock object) and a deploy
 * role (stacks/deploy-permissions.ts). Its own state is local by design: it creates the bucket
 * the others keep their state in, and an operator applies it by hand, rarely.
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM);
    new LocalBackend(this, { path: "../../../terraform.auth-bootstrap.tfstate" });

    const region = new TerraformVariable(this, "region", { type: "string", description: "AWS region of the state bucket and of every auth-<env> stack, e.g. eu-west-1." });
    const repository = new TerraformVariable(this, "github_repository", {
      type: "string",
      description: "The GitHub repository (owner/name) whose workflows may assume the plan and deploy roles.",
      validation: [{ condition: '${can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))}', errorMessage: "github_repository must be owner/name." }],
    });
    const bucketName = new TerraformVariable(this, "state_bucket", {
      type: "string",
      description: "Name of the S3 bucket that keeps every environment's Terraform state (globally unique).",
      validation: [
        {
          condition: '${can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket)) && !strcontains(var.state_bucket, "..")}',
          errorMessage: "state_bucket must be a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-'.",
        },
      ],
    });
    new AwsProvider(this, "aws", { region: region.stringValue, defaultTags: [{ tags: { service: "auth", "managed-by": "cdktf", stack: "auth-bootstrap" } }] });
    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;

    // State bucket: versioned (a bad apply can be rolled back), encrypted, never public, TLS only.
    const bucket = new S3Bucket(this, "state", { bucket: bucketName.stringValue });
    new S3BucketVersioningA(this, "state-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "state-encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "state-public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "state-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const tlsOnly = new DataAwsIamPolicyDocument(this, "state-tls-only", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(this, "state-policy", { bucket: bucket.id, policy: tlsOnly.json });

    const github = new IamOpenidConnectProvider(this, "github", { url: GITHUB_OIDC.url, clientIdList: [GITHUB_OIDC.audience] });

    const fill = (pattern: string) =>
      pattern.replaceAll("{partition}", partition).replaceAll("{region}", region.stringValue).replaceAll("{account}", account);
    const roleArns: Record<string, { plan: string; deploy: string }> = {};
    const backends: Record<string, unknown> = {};
    for (const environment of props.environments) {
      // The GitHub environment a job runs in is in its token's `sub`: plan jobs run in `<env>-plan`, deploys in `<env>`.
      const trust = (role: string, githubEnvironment: string) =>
        new DataAwsIamPolicyDocument(this, `${role}-trust`, {
          statement: [
            {
              effect: "Allow",
              actions: ["sts:AssumeRoleWithWebIdentity"],
              principals: [{ type: "Federated", identifiers: [github.arn] }],
              condition: [
                { test: "StringEquals", variable: `${GITHUB_OIDC.host}:aud`, values: [GITHUB_OIDC.audience] },
                { test: "StringEquals", variable: `${GITHUB_OIDC.host}:sub`, values: [`repo:${repository.stringValue}:environment:${githubEnvironment}`] },
              ],
            },
          ],
        }).json;

      const plan = new IamRole(this, `${environment}-plan`, { name: `auth-${environment}-plan`, assumeRolePolicy: trust(`${environment}-plan`, `${environment}-plan`), maxSessionDuration: 3600 });
      new IamRolePolicyAttachment(this, `${environment}-plan-read-only`, { role: plan.name, policyArn: `arn:${partition}:iam::aws:policy/ReadOnlyAccess` });
      const lock = new DataAwsIamPolicyDocument(this, `${environment}-plan-lock`, {
        statement: [
          {
            sid: "StateLock",
            effect: "Allow",
            // terraform plan takes S3-native locking's lock object: it writes and deletes exactly this one.
            actions: ["s3:PutObject", "s3:DeleteObject"],
            resources: [`${bucket.arn}/auth/${environment}.tfstate.tflock`],
          },
        ],
      });
      new IamRolePolicy(this, `${environment}-plan-lock-policy`, { name: "state-lock", role: plan.id, policy: lock.json });

      const deploy = new IamRole(this, `${environment}-deploy`, { name: `auth-${environment}-deploy`, assumeRolePolicy: trust(`${environment}-deploy`, environment), maxSessionDuration: 3600 });
      const permissions = new DataAwsIamPolicyDocument(this, `${environment}-deploy-permissions`, {
        statement: deployPermissions(environment, bucketName.stringValue).map((st) => ({
          sid: st.sid,
          effect: "Allow",
          actions: st.actions,
          resources: st.resources.map(fill),
          ...(st.conditions ? { condition: st.conditions } : {}),
        })),
      });
      new IamRolePolicy(this, `${environment}-deploy-policy`, { name: "deploy-auth", role: deploy.id, policy: permissions.json });

      roleArns[environment] = { plan: plan.arn, deploy: deploy.arn };
      backends[environment] = { bucket: bucket.bucket, region: region.stringValue, use_lockfile: true };
    }

    new TerraformOutput(this, "role_arns", {
      value: roleArns,
      description: "Per environment: AWS_PLAN_ROLE_ARN for the GitHub environment <env>-plan, AWS_DEPLOY_ROLE_ARN for <env>",
    });
    new TerraformOutput(this, "backend_files", {
      value: Object.fromEntries(Object.entries(backends).map(([env, config]) => [env, Fn.jsonencode(config)])),
      description: "Per environment: the contents of environments/<env>.backend.json",
    });
  }
}
