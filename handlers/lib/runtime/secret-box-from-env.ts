import { kmsSecretBox } from "../adapters/kms-secret-box.js";
import { loadOrCreateSecretKeyFile, localSecretBox } from "../adapters/local-secret-box.js";
import { ConfigError } from "../domain/errors.js";
import type { SecretBox } from "../domain/secret-box.js";
import { optional, type Env } from "./config.js";
import { kmsClient } from "./kms-client.js";

/**
 * The secret box, chosen once per cold start: the KMS symmetric key when `SECRET_KEY_ID` is
 * set (AWS), a local key file when `LOCAL_SECRET_KEY_FILE` is set (`npm start`).
 */
export function secretBoxFromEnv(env: Env): SecretBox {
  const keyId = optional(env, "SECRET_KEY_ID");
  const keyFile = optional(env, "LOCAL_SECRET_KEY_FILE");
  if (keyId) return kmsSecretBox(kmsClient(), keyId);
  if (keyFile) return localSecretBox(loadOrCreateSecretKeyFile(keyFile));
  throw new ConfigError("SECRET_KEY_ID", "is required (or LOCAL_SECRET_KEY_FILE for local runs)");
}
