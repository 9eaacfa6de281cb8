import { optional, type Env } from "./config.js";
import { ConfigError } from "../domain/errors.js";
import { kmsSigner } from "../adapters/kms-signer.js";
import { loadOrCreateKeyFile, localSigner } from "../adapters/local-signer.js";
import type { Signer } from "../domain/signer.js";
import { kmsClient } from "./kms-client.js";

/**
 * Chooses the signer once per cold start: KMS when `SIGNING_KEY_ID` is set (AWS), a local
 * key file when `LOCAL_SIGNING_KEY_FILE` is set (`npm start`). Returns a getter that
 * builds it on first use and retries after a failure instead of caching it.
 */
export function signerFromEnv(env: Env): () => Promise<Signer> {
  const keyId = optional(env, "SIGNING_KEY_ID");
  const keyFile = optional(env, "LOCAL_SIGNING_KEY_FILE");
  if (!keyId && !keyFile) throw new ConfigError("SIGNING_KEY_ID", "is required (or LOCAL_SIGNING_KEY_FILE for local runs)");
  const create = keyId
    ? () => kmsSigner(kmsClient(), keyId, optional(env, "SIGNING_PUBLIC_KEY"))
    : async () => localSigner(loadOrCreateKeyFile(keyFile!));
  let pending: Promise<Signer> | undefined;
  return () => {
    pending ??= create().catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
