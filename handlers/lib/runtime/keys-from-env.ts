import { ConfigError } from "../domain/errors.js";
import { keyFromSpki, verificationKey, type VerificationKey } from "../domain/keys.js";
import { list, type Env } from "./config.js";

/**
 * Reads `JWT_PUBLIC_KEYS`: comma-separated base64 DER SPKI public keys, every key the
 * environment accepts (rotation keeps the old one listed until its tokens expire).
 */
export function loadVerificationKeys(env: Env): VerificationKey[] {
  return list(env, "JWT_PUBLIC_KEYS").map((item, index) => {
    try {
      return verificationKey(keyFromSpki(item));
    } catch (error) {
      throw new ConfigError("JWT_PUBLIC_KEYS", `entry ${index + 1} is not a supported base64 DER public key (${(error as Error).message})`);
    }
  });
}
