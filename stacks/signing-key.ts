import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { DataAwsKmsPublicKey } from "@cdktf/provider-aws/lib/data-aws-kms-public-key/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { Construct } from "constructs";

export interface SigningKeyProps {
  /** e.g. auth-dev: the alias becomes alias/auth-dev-signing. */
  name: string;
}

/**
 * Key administration for IAM principals of the account: exactly what Terraform and an
 * operator need to manage, rotate out or delete the key. No kms:* and no Sign here.
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

/**
 * The ES256 signing key: KMS ECC_NIST_P256 / SIGN_VERIFY, so the private key never leaves
 * KMS. The public key is read at deploy time (`aws_kms_public_key`) and handed to the
 * authorizer and jwks functions as configuration: they never call KMS.
 */
export class SigningKey extends Construct {
  readonly key: KmsKey;
  /** Base64 DER SubjectPublicKeyInfo of the key. */
  readonly publicKey: string;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const root = [`arn:${partition.partition}:iam::${account.accountId}:root`];
    // The account root delegates to IAM, so each function's IAM policy decides who signs.
    // In a key policy the resource "*" means this key; AWS requires it (the key has no ARN yet).
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        { sid: "KeyAdministrationThroughIam", effect: "Allow", principals: [{ type: "AWS", identifiers: root }], actions: KEY_ADMIN_ACTIONS, resources: ["*"] },
        {
          sid: "SigningThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: root }],
          actions: ["kms:Sign"],
          resources: ["*"],
          // Only with the algorithm access tokens use.
          condition: [{ test: "StringEquals", variable: "kms:SigningAlgorithm", values: ["ECDSA_SHA_256"] }],
        },
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: `${props.name}: signs access tokens (ES256)`,
      keyUsage: "SIGN_VERIFY",
      customerMasterKeySpec: "ECC_NIST_P256",
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.name}-signing`, targetKeyId: this.key.keyId });
    this.publicKey = new DataAwsKmsPublicKey(this, "public-key", { keyId: this.key.arn }).publicKey;
  }
}
