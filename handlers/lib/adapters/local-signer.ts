import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { verificationKey } from "../domain/keys.js";
import type { Signer } from "../domain/signer.js";
import { KeyFileError, readOrCreateKeyFile } from "./key-file.js";

/** Signs with a P-256 private key held in memory: the local runtime's stand-in for KMS. */
export function localSigner(privateKey: KeyObject): Signer {
  const { alg, kid } = verificationKey(createPublicKey(privateKey));
  return {
    alg,
    kid,
    // ieee-p1363 is the JOSE r||s encoding, so no DER conversion is needed here.
    sign: async (input) => sign("sha256", input, { key: privateKey, dsaEncoding: "ieee-p1363" }),
  };
}

/**
 * Loads the PKCS#8 PEM key at `path`, creating a new P-256 key (mode 0600) if there is none.
 * A file that is empty, unreadable, not a private key or not P-256 is a KeyFileError naming it
 * (OpenSSL's own "DECODER routines::unsupported" names nothing).
 */
export function loadOrCreateKeyFile(path: string): KeyObject {
  const create = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" });
  const pem = readOrCreateKeyFile(path, create);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KeyFileError(path, "is not a PEM private key");
  }
  // ES256 (RFC 7518 §3.4) signs with P-256 only.
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new KeyFileError(path, "holds a key that is not P-256 (ES256 needs one)");
  }
  return key;
}
