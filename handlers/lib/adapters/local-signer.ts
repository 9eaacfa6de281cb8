import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { verificationKey } from "../domain/keys.js";
import type { Signer } from "../domain/signer.js";
import { readOrCreateKeyFile } from "./key-file.js";

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

/** Loads the PKCS#8 PEM key at `path`, creating a new P-256 key (mode 0600) if there is none. */
export function loadOrCreateKeyFile(path: string): KeyObject {
  const create = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" });
  return createPrivateKey(readOrCreateKeyFile(path, create));
}
