import { kmsMacKey } from "../adapters/kms-mac-key.js";
import { loadOrCreateMacKeyFile, localMacKey } from "../adapters/local-mac-key.js";
import { ConfigError } from "../domain/errors.js";
import type { MacKey } from "../domain/mac-key.js";
import { optional, type Env } from "./config.js";
import { kmsClient } from "./kms-client.js";

/**
 * The refresh-token key, chosen once per cold start: the KMS HMAC key when
 * `REFRESH_TOKEN_KEY_ID` is set (AWS), a local key file when `LOCAL_REFRESH_TOKEN_KEY_FILE`
 * is set (`npm start`).
 */
export function macKeyFromEnv(env: Env): MacKey {
  const keyId = optional(env, "REFRESH_TOKEN_KEY_ID");
  const keyFile = optional(env, "LOCAL_REFRESH_TOKEN_KEY_FILE");
  if (keyId) return kmsMacKey(kmsClient(), keyId);
  if (keyFile) return localMacKey(loadOrCreateMacKeyFile(keyFile));
  throw new ConfigError("REFRESH_TOKEN_KEY_ID", "is required (or LOCAL_REFRESH_TOKEN_KEY_FILE for local runs)");
}
