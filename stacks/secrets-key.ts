import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { Construct } from "constructs";
import { keyPolicy } from "./key-policy.js";

/**
 * The secrets key: KMS SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT. It seals the TOTP secrets on the
 * user items (adapters/kms-secret-box.ts), each bound to its user by the encryption context,
 * so a dump of the table holds no usable second factor. Deleting it disables every
 * enrolled second factor: its owners then need their recovery codes.
 */
export class SecretsKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    const policy = keyPolicy(this, {
      sid: "EncryptDecryptThroughIam",
      action: ["kms:Encrypt", "kms:Decrypt"],
      conditionKey: "kms:EncryptionAlgorithm",
      algorithm: "SYMMETRIC_DEFAULT",
    });
    this.key = new KmsKey(this, "key", {
      description: `${props.name}: seals second-factor secrets (AES-256-GCM in KMS)`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.name}-secrets`, targetKeyId: this.key.keyId });
  }
}
