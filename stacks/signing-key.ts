import { DataAwsKmsPublicKey } from "@cdktf/provider-aws/lib/data-aws-kms-public-key/index.js";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import type { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { KMS_SIGNING } from "../handlers/lib/adapters/kms-signing-keys.js";
import { JOSE_ALGS, type JoseAlg } from "../handlers/lib/domain/keys.js";
import { keyPolicy } from "./key-policy.js";

export interface SigningKeyProps {
  /** e.g. auth-dev: the alias becomes alias/auth-dev-<aliasSuffix>. */
  name: string;
  alg: JoseAlg;
  aliasSuffix: string;
  /** Terraform condition under which the key exists (it is counted 0 or 1). */
  exists: string;
}

/**
 * One signing key: KMS SIGN_VERIFY with the key spec of its JOSE algorithm, usable only with
 * that algorithm's signing algorithm, so the private key never leaves KMS. The public key is
 * read at deploy time (`aws_kms_public_key`) and handed to the authorizer and jwks functions
 * as configuration: they never call KMS. A TerraformVariable cannot decide at synth time
 * whether it exists, so the key, its alias and its public key are counted.
 */
export class SigningKey extends Construct {
  readonly key: KmsKey;
  /** `aws_kms_key.<id>[0].arn` (no `${}`): valid only where the key exists. */
  readonly arnExpression: string;
  /** Base64 DER SubjectPublicKeyInfo, `data.aws_kms_public_key.<id>[0].public_key` (no `${}`): valid only where the key exists. */
  readonly publicKeyExpression: string;
  /** The public key as a list of zero or one, `data.aws_kms_public_key.<id>[*].public_key` (no `${}`). */
  readonly publicKeys: string;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    const { keySpec, signingAlgorithm } = KMS_SIGNING[props.alg];
    const count = `\${${props.exists} ? 1 : 0}`;
    const policy = keyPolicy(this, { sid: "SigningThroughIam", action: "kms:Sign", conditionKey: "kms:SigningAlgorithm", algorithm: signingAlgorithm });
    this.key = new KmsKey(this, "key", {
      description: `${props.name}: signs access tokens (${props.alg})`,
      keyUsage: "SIGN_VERIFY",
      customerMasterKeySpec: keySpec,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    this.key.addOverride("count", count);
    const alias = new KmsAlias(this, "alias", { name: `alias/${props.name}-${props.aliasSuffix}`, targetKeyId: `\${${this.key.fqn}[0].key_id}` });
    alias.addOverride("count", count);
    const publicKey = new DataAwsKmsPublicKey(this, "public-key", { keyId: `\${${this.key.fqn}[0].arn}` });
    publicKey.addOverride("count", count);
    this.arnExpression = `${this.key.fqn}[0].arn`;
    this.publicKeyExpression = `${publicKey.fqn}[0].public_key`;
    this.publicKeys = `${publicKey.fqn}[*].public_key`;
  }
}

export interface SigningKeysProps {
  name: string;
  /** `var.signing_algorithm`: the key that signs. */
  algorithm: TerraformVariable;
  /** `var.signing_key_algorithms`: the keys that exist; all of them verify. */
  keyAlgorithms: TerraformVariable;
}

export interface SigningKeys {
  keys: Readonly<Record<JoseAlg, SigningKey>>;
  /** The ARN of the key that signs. */
  activeArn: string;
  /** Base64 DER public key of the key that signs. */
  activePublicKey: string;
  /** Terraform list (no `${}`) of the public keys of every existing key. */
  publicKeys: string;
}

/** Where each key lives in the stack. */
const PLACES: Record<JoseAlg, { id: string; aliasSuffix: string }> = {
  // The ES256 key keeps the construct id and alias it had before RS256 existed: a new
  // address would make Terraform replace it (adding `count` moves it to [0] by itself).
  ES256: { id: "signing", aliasSuffix: "signing" },
  RS256: { id: "signing-rs256", aliasSuffix: "signing-rs256" },
};

/**
 * One key per algorithm, each existing while `signing_key_algorithms` lists it; the one
 * `signing_algorithm` names signs, every existing one verifies. Switching algorithms is then
 * adding a key, switching, and removing the old key once its tokens have expired: no step
 * replaces a key, and the old one verifies until it is removed (README: Signing algorithm).
 */
export function signingKeys(scope: Construct, props: SigningKeysProps): SigningKeys {
  const listed = props.keyAlgorithms.fqn;
  const keys = Object.fromEntries(
    JOSE_ALGS.map((alg) => [alg, new SigningKey(scope, PLACES[alg].id, { name: props.name, alg, aliasSuffix: PLACES[alg].aliasSuffix, exists: `contains(${listed}, "${alg}")` })]),
  ) as Record<JoseAlg, SigningKey>;
  // A conditional evaluates only the branch it selects, so indexing a key counted 0 there is fine.
  const selected = props.algorithm.fqn;
  const pick = (of: (key: SigningKey) => string) =>
    `\${${JOSE_ALGS.slice(0, -1).map((alg) => `${selected} == "${alg}" ? ${of(keys[alg])} : `).join("")}${of(keys[JOSE_ALGS.at(-1)!])}}`;
  return {
    keys,
    activeArn: pick((key) => key.arnExpression),
    activePublicKey: pick((key) => key.publicKeyExpression),
    publicKeys: `concat(${JOSE_ALGS.map((alg) => keys[alg].publicKeys).join(", ")})`,
  };
}
