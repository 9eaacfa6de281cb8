import { DataAwsKmsPublicKey } from "@cdktf/provider-aws/lib/data-aws-kms-public-key/index.js";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { Construct } from "constructs";
import { keyPolicy } from "./key-policy.js";

export interface SigningKeyProps {
  /** e.g. auth-dev: the alias becomes alias/auth-dev-signing. */
  name: string;
}

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
    const policy = keyPolicy(this, { sid: "SigningThroughIam", action: "kms:Sign", conditionKey: "kms:SigningAlgorithm", algorithm: "ECDSA_SHA_256" });
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
