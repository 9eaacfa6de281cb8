import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { contextPairs, SealedSecretError, type SecretBox, type SecretContext } from "../domain/secret-box.js";
import { KeyFileError, readOrCreateKeyFile } from "./key-file.js";

/**
 * The local runtime's stand-in for the KMS key: AES-256-GCM with a key held in a file, the
 * context as associated data, so a ciphertext opens only for the user it was sealed for, as
 * with KMS. Layout: version (1) | IV (12) | ciphertext | tag (16).
 */
export function localSecretBox(key: Buffer): SecretBox {
  return {
    async seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(associatedData(context));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return new Uint8Array(Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]));
    },
    async open(sealed, context) {
      const bytes = Buffer.from(sealed);
      if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) throw new SealedSecretError();
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(1, 1 + IV_BYTES)).setAAD(associatedData(context));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]));
      } catch (error) {
        throw new SealedSecretError({ cause: error });
      }
    },
  };
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** The context in a fixed order, as KMS binds its EncryptionContext. */
const associatedData = (context: SecretContext): Buffer =>
  Buffer.from(JSON.stringify(Object.entries(contextPairs(context)).sort(([a], [b]) => a.localeCompare(b))));

/** Loads the base64 AES key at `path`, creating a random 256-bit one (mode 0600) if there is none. */
export function loadOrCreateSecretKeyFile(path: string): Buffer {
  const text = readOrCreateKeyFile(path, () => randomBytes(KEY_BYTES).toString("base64")).toString("utf8").trim();
  if (!BASE64_KEY.test(text)) throw new KeyFileError(path, `does not hold a ${KEY_BYTES}-byte base64 key`);
  return Buffer.from(text, "base64");
}
