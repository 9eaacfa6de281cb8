import { DecryptCommand, EncryptCommand } from "@aws-sdk/client-kms";
import { TemporarilyUnavailableError } from "../domain/errors.js";
import { contextPairs, SealedSecretError, type SecretBox } from "../domain/secret-box.js";
import { callKms, type KmsSend } from "./kms-call.js";

/**
 * Seals by KMS Encrypt/Decrypt on a symmetric key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), the
 * context as the EncryptionContext: KMS authenticates it, so a ciphertext copied to another
 * user does not decrypt. A TOTP secret is 20 bytes, far under Encrypt's 4 KB, so direct
 * Encrypt gives what envelope encryption with a data key would, with one call less per
 * use; the key never leaves KMS either way.
 */
export function kmsSecretBox(kms: KmsSend, keyId: string): SecretBox {
  return {
    async seal(plaintext, context) {
      const result = await callKms(() =>
        kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: contextPairs(context), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" })),
      );
      if (!result.CiphertextBlob) throw new TemporarilyUnavailableError("the key service is unavailable, try again shortly", { cause: "KMS returned no ciphertext" });
      return result.CiphertextBlob;
    },
    async open(sealed, context) {
      const decrypt = () =>
        kms.send(
          new DecryptCommand({ KeyId: keyId, CiphertextBlob: sealed, EncryptionContext: contextPairs(context), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
        );
      let result: Awaited<ReturnType<typeof decrypt>>;
      try {
        result = await decrypt();
      } catch (error) {
        // Not an outage: this ciphertext does not open under this context (or this key).
        if ((error as Error).name === "InvalidCiphertextException" || (error as Error).name === "IncorrectKeyException") throw new SealedSecretError({ cause: error });
        return callKms(() => Promise.reject(error));
      }
      if (!result.Plaintext) throw new TemporarilyUnavailableError("the key service is unavailable, try again shortly", { cause: "KMS returned no plaintext" });
      return result.Plaintext;
    },
  };
}
