import { createHmac, randomBytes } from "node:crypto";
import type { MacKey } from "../domain/mac-key.js";
import { readOrCreateKeyFile } from "./key-file.js";

/** The local runtime's stand-in for the KMS HMAC key: the same HMAC-SHA-256 with a key held in memory. */
export function localMacKey(secret: Buffer): MacKey {
  return { mac: async (message) => createHmac("sha256", secret).update(message).digest() };
}

const KEY_BYTES = 32;

/** Loads the base64 HMAC key at `path`, creating a random 256-bit one (mode 0600) if there is none. */
export function loadOrCreateMacKeyFile(path: string): Buffer {
  const secret = Buffer.from(readOrCreateKeyFile(path, () => randomBytes(KEY_BYTES).toString("base64")).toString("utf8").trim(), "base64");
  if (secret.length < KEY_BYTES) throw new Error(`${path} does not hold a ${KEY_BYTES}-byte base64 key; delete it to create a new one`);
  return secret;
}
