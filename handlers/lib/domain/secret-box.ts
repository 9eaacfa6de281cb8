/**
 * Port: encryption of small secrets at rest (the TOTP secret), bound to whom they belong.
 * Adapters: `adapters/kms-secret-box.ts` (KMS Encrypt/Decrypt on a symmetric key, which never
 * leaves KMS) and `adapters/local-secret-box.ts` (AES-256-GCM with a key file, `npm start`).
 * The context is authenticated, not stored in the ciphertext: a ciphertext copied onto another
 * user's item does not open there.
 */
export interface SecretContext {
  purpose: "totp-secret";
  userId: string;
}

export interface SecretBox {
  seal(plaintext: Uint8Array, context: SecretContext): Promise<Uint8Array>;
  /** Throws `SealedSecretError` when the ciphertext does not open under this context. */
  open(sealed: Uint8Array, context: SecretContext): Promise<Uint8Array>;
}

/** A stored secret that does not open (tampered, or copied from another user): a 500, never a client's fault. */
export class SealedSecretError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("a sealed secret does not open under its context", options);
    this.name = "SealedSecretError";
  }
}

/** The context as a flat string map: KMS's EncryptionContext, and the local twin's associated data. */
export const contextPairs = (context: SecretContext): Record<string, string> => ({ purpose: context.purpose, user_id: context.userId });
