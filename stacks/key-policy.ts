import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import type { Construct } from "constructs";

/**
 * Key administration for IAM principals of the account: exactly what Terraform and an
 * operator need to manage, rotate out or delete a key. No kms:* and no use of the key here.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:EnableKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:GetPublicKey",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

export interface KeyUse {
  sid: string;
  /** One action, or several under the same algorithm condition (Encrypt and Decrypt). */
  action: string | readonly string[];
  /** The one algorithm the key may be used with, e.g. kms:SigningAlgorithm = ECDSA_SHA_256. */
  conditionKey: string;
  algorithm: string;
}

/**
 * A key policy: the account root delegates to IAM, so each function's IAM policy decides
 * who uses the key, and only with `use.algorithm`. In a key policy the resource "*" means
 * this key; AWS requires it (the key has no ARN yet).
 */
export function keyPolicy(scope: Construct, use: KeyUse): DataAwsIamPolicyDocument {
  const account = new DataAwsCallerIdentity(scope, "account");
  const partition = new DataAwsPartition(scope, "partition");
  const root = [`arn:${partition.partition}:iam::${account.accountId}:root`];
  return new DataAwsIamPolicyDocument(scope, "policy", {
    statement: [
      { sid: "KeyAdministrationThroughIam", effect: "Allow", principals: [{ type: "AWS", identifiers: root }], actions: KEY_ADMIN_ACTIONS, resources: ["*"] },
      {
        sid: use.sid,
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: root }],
        actions: typeof use.action === "string" ? [use.action] : [...use.action],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: use.conditionKey, values: [use.algorithm] }],
      },
    ],
  });
}
