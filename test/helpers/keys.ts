import { generateKeyPairSync } from "node:crypto";
import { localSigner } from "../../handlers/lib/adapters/local-signer.js";
import { verificationKey } from "../../handlers/lib/domain/keys.js";

/** A fresh real P-256 key pair with its signer and verification key. */
export function p256() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicKey, signer: localSigner(privateKey), verification: verificationKey(publicKey) };
}

/** A fresh real RSA key pair (2048 bits unless told: RS256's minimum, RFC 7518 §3.3) with its signer and verification key. */
export function rsa(modulusLength = 2048) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength });
  return { privateKey, publicKey, signer: localSigner(privateKey), verification: verificationKey(publicKey) };
}
