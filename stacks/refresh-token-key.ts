import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { Construct } from "constructs";
import { keyPolicy } from "./key-policy.js";

/**
 * The refresh-token key: KMS HMAC_256 / GENERATE_VERIFY_MAC. Refresh tokens are MACs
 * under it, so the table stores no usable secret and the key never leaves KMS
 * (RFC 9700 §4.14.2). Deleting or replacing it ends every session.
 */
export class RefreshTokenKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    const policy = keyPolicy(this, { sid: "MacThroughIam", action: "kms:GenerateMac", conditionKey: "kms:MacAlgorithm", algorithm: "HMAC_SHA_256" });
    this.key = new KmsKey(this, "key", {
      description: `${props.name}: MACs refresh tokens (HMAC-SHA-256)`,
      keyUsage: "GENERATE_VERIFY_MAC",
      customerMasterKeySpec: "HMAC_256",
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.name}-refresh-tokens`, targetKeyId: this.key.keyId });
  }
}
