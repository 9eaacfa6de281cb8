import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { verificationKey } from "../domain/keys.js";
import type { Signer } from "../domain/signer.js";

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
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600, flag: "wx" });
  }
  return createPrivateKey(readFileSync(path));
}
