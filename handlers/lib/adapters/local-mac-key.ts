import { createHmac, randomBytes } from "node:crypto";
import type { MacKey } from "../domain/mac-key.js";
import { KeyFileError, readOrCreateKeyFile } from "./key-file.js";

/** The local runtime's stand-in for the KMS HMAC key: the same HMAC-SHA-256 with a key held in memory. */
export function localMacKey(secret: Buffer): MacKey {
  return { mac: async (message) => createHmac("sha256", secret).update(message).digest() };
}

const KEY_BYTES = 32;
/** Exactly what the creator writes: 32 bytes in padded base64 (Buffer.from would accept any junk). */
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** Loads the base64 HMAC key at `path`, creating a random 256-bit one (mode 0600) if there is none. */
export function loadOrCreateMacKeyFile(path: string): Buffer {
  const text = readOrCreateKeyFile(path, () => randomBytes(KEY_BYTES).toString("base64")).toString("utf8").trim();
  if (!BASE64_KEY.test(text)) throw new KeyFileError(path, `does not hold a ${KEY_BYTES}-byte base64 key`);
  return Buffer.from(text, "base64");
}
