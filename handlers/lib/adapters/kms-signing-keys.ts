import type { JoseAlg } from "../domain/keys.js";

/**
 * THE mapping from a JOSE algorithm to its KMS key and signing algorithm: the KMS signer signs
 * with it, the stack creates each key with its spec and restricts the key policy to its
 * algorithm. No AWS SDK here, so the stack imports it at no cost.
 */
export const KMS_SIGNING = {
  // RFC 7518 §3.4: ECDSA with P-256 and SHA-256; KMS answers DER, JOSE wants r || s.
  ES256: { keySpec: "ECC_NIST_P256", signingAlgorithm: "ECDSA_SHA_256" },
  // RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256 and a key of 2048 bits or more; KMS answers the JOSE form.
  RS256: { keySpec: "RSA_2048", signingAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" },
} as const satisfies Record<JoseAlg, { keySpec: string; signingAlgorithm: string }>;
