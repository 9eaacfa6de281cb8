/**
 * What the principal that deploys `auth-<env>` may do, as plain data: the bootstrap stack grants
 * it to each environment's deploy role, and the README's operator permission list is checked
 * against it. Limited to the services the auth stack uses and, wherever AWS allows a resource
 * ARN, to the `auth-<env>` name prefix. Where AWS takes no resource ARN (KMS CreateKey, log
 * delivery, API Gateway ids, SES identities named by tfvars) the action stands alone, and KMS
 * key use is tied to the environment's tag instead.
 */
import { functions } from "../handlers/functions.js";
import { functionRoleName } from "./auth-function.js";
import { KEY_ADMIN_ACTIONS } from "./key-policy.js";

export interface PermissionStatement {
  sid: string;
  actions: string[];
  /** ARN patterns; `{partition}`, `{region}`, `{account}` are filled in by the stack. */
  resources: string[];
  conditions?: Array<{ test: string; variable: string; values: string[] }>;
}

/** The deploy role's statements for one environment. */
export function deployPermissions(environment: string, stateBucket: string): PermissionStatement[] {
  const prefix = `auth-${environment}`;
  // One role per function of the manifest, named as stacks/auth-function.ts names them.
  const functionRoles = functions.map((fn) => `arn:{partition}:iam::{account}:role/${functionRoleName(prefix, fn.name)}`);
  const arn = (service: string, resource: string, region = "{region}") => `arn:{partition}:${service}:${region}:{account}:${resource}`;
  return [
    {
      sid: "State",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      // The state and its lock file (S3-native locking writes <key>.tflock).
      resources: [`arn:{partition}:s3:::${stateBucket}/auth/${environment}.tfstate`, `arn:{partition}:s3:::${stateBucket}/auth/${environment}.tfstate.tflock`],
    },
    { sid: "StateBucket", actions: ["s3:ListBucket"], resources: [`arn:{partition}:s3:::${stateBucket}`] },
    {
      sid: "Functions",
      actions: [
        "lambda:AddPermission",
        "lambda:CreateFunction",
        "lambda:DeleteFunction",
        "lambda:GetFunction",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetPolicy",
        "lambda:ListTags",
        "lambda:ListVersionsByFunction",
        "lambda:RemovePermission",
        "lambda:TagResource",
        "lambda:UntagResource",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
      ],
      resources: [arn("lambda", `function:${prefix}-*`)],
    },
    {
      sid: "FunctionRoles",
      actions: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:DeleteRolePolicy",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:ListRolePolicies",
        "iam:PutRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateAssumeRolePolicy",
      ],
      resources: functionRoles,
    },
    {
      // Creating a function hands it its role: only these roles, and only to Lambda.
      sid: "PassFunctionRoles",
      actions: ["iam:PassRole"],
      resources: functionRoles,
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["lambda.amazonaws.com"] }],
    },
    {
      sid: "Table",
      actions: [
        "dynamodb:CreateTable",
        "dynamodb:DeleteTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeTable",
        "dynamodb:DescribeTimeToLive",
        "dynamodb:ListTagsOfResource",
        "dynamodb:TagResource",
        "dynamodb:UntagResource",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
      ],
      resources: [arn("dynamodb", `table/${prefix}-users`), arn("dynamodb", `table/${prefix}-users/index/*`)],
    },
    {
      // CreateKey names no key yet: allowed only with the environment's tag, which the provider's default tags set.
      sid: "CreateKeys",
      actions: ["kms:CreateKey"],
      resources: ["*"],
      conditions: [{ test: "StringEquals", variable: "aws:RequestTag/environment", values: [environment] }],
    },
    {
      // Includes kms:PutKeyPolicy: KMS checks that a new key policy does not lock its creator out.
      sid: "ManageKeys",
      actions: [...KEY_ADMIN_ACTIONS.filter((action) => !action.endsWith("Alias")), "kms:EnableKeyRotation"],
      resources: [arn("kms", "key/*")],
      conditions: [{ test: "StringEquals", variable: "aws:ResourceTag/environment", values: [environment] }],
    },
    {
      sid: "KeyAliases",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: [arn("kms", `alias/${prefix}-*`), arn("kms", "key/*")],
    },
    { sid: "ListKeys", actions: ["kms:ListAliases"], resources: ["*"] },
    {
      sid: "LogGroups",
      actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:ListTagsForResource", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
      resources: [arn("logs", `log-group:/aws/lambda/${prefix}-*`), arn("logs", `log-group:/aws/apigateway/${prefix}`)],
    },
    {
      // HTTP API access logging goes through CloudWatch Logs' vended-log delivery, which takes no resource ARN.
      sid: "AccessLogDelivery",
      actions: [
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery",
      ],
      resources: ["*"],
    },
    {
      // API ids are chosen by AWS, so API Gateway allows no name prefix here.
      sid: "HttpApi",
      actions: ["apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT", "apigateway:TagResource", "apigateway:UntagResource"],
      resources: [
        `arn:{partition}:apigateway:{region}::/apis`,
        `arn:{partition}:apigateway:{region}::/apis/*`,
        `arn:{partition}:apigateway:{region}::/domainnames`,
        `arn:{partition}:apigateway:{region}::/domainnames/*`,
        `arn:{partition}:apigateway:{region}::/tags/*`,
      ],
    },
    // The custom domain (custom_domain in tfvars): its certificate, tied to the environment's tag, and its DNS records.
    {
      sid: "RequestCertificate",
      actions: ["acm:RequestCertificate", "acm:AddTagsToCertificate"],
      resources: ["*"],
      conditions: [{ test: "StringEquals", variable: "aws:RequestTag/environment", values: [environment] }],
    },
    {
      sid: "Certificates",
      actions: ["acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate", "acm:RemoveTagsFromCertificate"],
      resources: [arn("acm", "certificate/*")],
      conditions: [{ test: "StringEquals", variable: "aws:ResourceTag/environment", values: [environment] }],
    },
    {
      sid: "DnsRecords",
      actions: ["route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets"],
      resources: ["arn:{partition}:route53:::hostedzone/*"],
    },
    { sid: "DnsChanges", actions: ["route53:GetChange"], resources: ["arn:{partition}:route53:::change/*"] },
    {
      sid: "Email",
      actions: [
        "ses:CreateConfigurationSet",
        "ses:CreateEmailIdentity",
        "ses:DeleteConfigurationSet",
        "ses:DeleteEmailIdentity",
        "ses:GetConfigurationSet",
        "ses:GetEmailIdentity",
        "ses:ListTagsForResource",
        "ses:PutConfigurationSetDeliveryOptions",
        "ses:PutConfigurationSetReputationOptions",
        "ses:PutConfigurationSetSendingOptions",
        "ses:PutConfigurationSetSuppressionOptions",
        "ses:PutEmailIdentityConfigurationSetAttributes",
        "ses:TagResource",
        "ses:UntagResource",
      ],
      // The identity is whatever email_identity names; the configuration set is the stack's own.
      resources: [arn("ses", "identity/*"), arn("ses", `configuration-set/${prefix}`)],
    },
  ];
}
