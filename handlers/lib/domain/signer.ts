import type { JoseAlg } from "./keys.js";

/**
 * Port: signs JWS signing input. Carries its JOSE `alg` and `kid` so the token header is
 * always consistent with the key that signed it (KMS in AWS, a local key file on a laptop).
 */
export interface Signer {
  readonly alg: JoseAlg;
  readonly kid: string;
  /**
   * Returns the JOSE signature: for ES256 64 bytes, r || s (RFC 7518 §3.4); for RS256 the
   * RSASSA-PKCS1-v1_5 signature, as long as the modulus (RFC 7518 §3.3).
   */
  sign(signingInput: Buffer): Promise<Buffer>;
}
