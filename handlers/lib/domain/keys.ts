import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";

/**
 * JOSE algorithms this service signs and verifies with, chosen per environment: ES256 by
 * default, RS256 for API Gateway's built-in JWT authorizer, which accepts only RSA.
 */
export const JOSE_ALGS = ["ES256", "RS256"] as const;
export type JoseAlg = (typeof JOSE_ALGS)[number];

/** RFC 7518 §3.3: an RS256 key MUST be 2048 bits or larger. */
export const MIN_RSA_BITS = 2048;

/** A public key ready for verification, parsed once per cold start (parsing per request costs 3x). */
export interface VerificationKey {
  kid: string;
  alg: JoseAlg;
  key: KeyObject;
  /** The public JWK as published in the JWKS. */
  jwk: PublicJwk;
}

interface JwkCommon {
  kid: string;
  alg: JoseAlg;
  use: "sig";
}
export type EcPublicJwk = JwkCommon & { kty: "EC"; crv: "P-256"; x: string; y: string };
export type RsaPublicJwk = JwkCommon & { kty: "RSA"; n: string; e: string };
export type PublicJwk = EcPublicJwk | RsaPublicJwk;

/**
 * The algorithm follows from the key, never from a token header (RFC 8725 §3.1): this is
 * what keeps a token from choosing `none`, an HMAC with the public key as secret, or the
 * other of the two algorithms.
 */
export function algorithmOf(key: KeyObject): JoseAlg {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "ec" && details?.namedCurve === "prime256v1") return "ES256";
  if (key.asymmetricKeyType === "rsa") {
    if ((details?.modulusLength ?? 0) >= MIN_RSA_BITS) return "RS256";
    throw new Error(`RSA key of ${details?.modulusLength} bits: RS256 needs ${MIN_RSA_BITS} or more (RFC 7518 §3.3)`);
  }
  throw new Error(`unsupported signing key type ${key.asymmetricKeyType}/${details?.namedCurve ?? details?.modulusLength}`);
}

/** RFC 7638 JWK thumbprint: SHA-256 over the key type's required members in lexicographic order (§3.2). */
export function thumbprint(jwk: JsonWebKey): string {
  const canonical =
    jwk.kty === "RSA" ? JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }) : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash("sha256").update(canonical).digest("base64url");
}

/** Builds the verification key for a public key; `kid` is its RFC 7638 thumbprint. */
export function verificationKey(key: KeyObject): VerificationKey {
  const alg = algorithmOf(key);
  const exported = key.export({ format: "jwk" });
  const kid = thumbprint(exported);
  const jwk: PublicJwk =
    alg === "RS256"
      ? { kty: "RSA", n: exported.n!, e: exported.e!, kid, alg, use: "sig" }
      : { kty: "EC", crv: "P-256", x: exported.x!, y: exported.y!, kid, alg, use: "sig" };
  return { kid, alg, key, jwk };
}

/** Parses a base64 DER SubjectPublicKeyInfo, as KMS GetPublicKey and Terraform's `aws_kms_public_key` return it. */
export function keyFromSpki(base64Der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64Der, "base64"), format: "der", type: "spki" });
}

export const spkiOf = (key: KeyObject): string =>
  key.export({ format: "der", type: "spki" }).toString("base64");
