import { GenerateMacCommand } from "@aws-sdk/client-kms";
import { TemporarilyUnavailableError } from "../domain/errors.js";
import type { MacKey } from "../domain/mac-key.js";
import { callKms, type KmsSend } from "./kms-call.js";

/** HMAC-SHA-256 by a KMS `HMAC_256` key (GENERATE_VERIFY_MAC): the key never leaves KMS. */
export function kmsMacKey(kms: KmsSend, keyId: string): MacKey {
  return {
    async mac(message) {
      const result = await callKms(() =>
        kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: "HMAC_SHA_256", Message: Buffer.from(message) })),
      );
      if (!result.Mac) throw new TemporarilyUnavailableError("the signing service is unavailable, try again shortly", { cause: "KMS returned no MAC" });
      return Buffer.from(result.Mac);
    },
  };
}
