import { generateKeyPairSync } from "node:crypto";
import { localSigner } from "../../handlers/lib/adapters/local-signer.js";
import { verificationKey } from "../../handlers/lib/domain/keys.js";

/** A fresh real P-256 key pair with its signer and verification key. */
export function p256() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicKey, signer: localSigner(privateKey), verification: verificationKey(publicKey) };
}
