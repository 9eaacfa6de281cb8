import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";

/** JOSE algorithms this service signs and verifies with. RS256 will join for API Gateway's JWT authorizer. */
export type JoseAlg = "ES256";

/** A public key ready for verification, parsed once per cold start (parsing per request costs 3x). */
export interface VerificationKey {
  kid: string;
  alg: JoseAlg;
  key: KeyObject;
  /** The public JWK as published in the JWKS. */
  jwk: PublicJwk;
}

export interface PublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: JoseAlg;
  use: "sig";
}

/**
 * The algorithm follows from the key, never from a token header: this is what keeps a
 * token from choosing `none` or an HMAC with the public key as secret.
 */
export function algorithmOf(key: KeyObject): JoseAlg {
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw new Error(`unsupported signing key type ${key.asymmetricKeyType}/${key.asymmetricKeyDetails?.namedCurve}`);
}

/** RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order. */
export function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash("sha256").update(canonical).digest("base64url");
}

/** Builds the verification key for a public key; `kid` is its RFC 7638 thumbprint. */
export function verificationKey(key: KeyObject): VerificationKey {
  const alg = algorithmOf(key);
  const exported = key.export({ format: "jwk" });
  const kid = thumbprint(exported);
  return {
    kid,
    alg,
    key,
    jwk: { kty: "EC", crv: "P-256", x: exported.x!, y: exported.y!, kid, alg, use: "sig" },
  };
}

/** Parses a base64 DER SubjectPublicKeyInfo, as KMS GetPublicKey and Terraform's `aws_kms_public_key` return it. */
export function keyFromSpki(base64Der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64Der, "base64"), format: "der", type: "spki" });
}

export const spkiOf = (key: KeyObject): string =>
  key.export({ format: "der", type: "spki" }).toString("base64");
