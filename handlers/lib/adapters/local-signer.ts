import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { algorithmOf, MIN_RSA_BITS, verificationKey, type JoseAlg } from "../domain/keys.js";
import type { Signer } from "../domain/signer.js";
import { KeyFileError, readOrCreateKeyFile } from "./key-file.js";

/** Signs with a P-256 or RSA private key held in memory: the local runtime's stand-in for KMS. */
export function localSigner(privateKey: KeyObject): Signer {
  const { alg, kid } = verificationKey(createPublicKey(privateKey));
  return {
    alg,
    kid,
    // ieee-p1363 is the JOSE r||s encoding (RFC 7518 §3.4), so no DER conversion is needed;
    // an RSA key signs RSASSA-PKCS1-v1_5, node's default padding (RFC 7518 §3.3).
    sign: async (input) => sign("sha256", input, alg === "ES256" ? { key: privateKey, dsaEncoding: "ieee-p1363" } : privateKey),
  };
}

/** A new private key for `alg`, as PKCS#8 PEM. */
const newKey = (alg: JoseAlg): string =>
  (alg === "RS256"
    ? generateKeyPairSync("rsa", { modulusLength: MIN_RSA_BITS })
    : generateKeyPairSync("ec", { namedCurve: "P-256" })
  ).privateKey.export({ format: "pem", type: "pkcs8" }) as string;

const WHAT_ALG_NEEDS: Record<JoseAlg, string> = {
  ES256: "P-256 (ES256 needs one)",
  RS256: `RSA of ${MIN_RSA_BITS} bits or more (RS256 needs one)`,
};

/**
 * Loads the PKCS#8 PEM key at `path`, creating a new key for `alg` (default ES256; mode 0600)
 * if there is none. With `alg` the key must be of that algorithm; without it, of either (the
 * bundles read whichever key the local runtime made). A file that is empty, unreadable, not a
 * private key or of the wrong kind is a KeyFileError naming it (OpenSSL's own "DECODER
 * routines::unsupported" names nothing).
 */
export function loadOrCreateKeyFile(path: string, alg?: JoseAlg): KeyObject {
  const pem = readOrCreateKeyFile(path, () => newKey(alg ?? "ES256"));
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KeyFileError(path, "is not a PEM private key");
  }
  let found: JoseAlg | undefined;
  try {
    found = algorithmOf(key);
  } catch {
    found = undefined;
  }
  if (alg ? found !== alg : !found) {
    throw new KeyFileError(path, `holds a key that is not ${alg ? WHAT_ALG_NEEDS[alg] : `${WHAT_ALG_NEEDS.ES256} or ${WHAT_ALG_NEEDS.RS256}`}`);
  }
  return key;
}
