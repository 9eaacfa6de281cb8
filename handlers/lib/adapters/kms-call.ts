import type { KMSClient } from "@aws-sdk/client-kms";
import { TemporarilyUnavailableError } from "../domain/errors.js";

/** The part of the KMS client the adapters use: tests pass a fake that answers with real cryptography. */
export type KmsSend = Pick<KMSClient, "send">;

/** Runs a KMS call; any failure is the key service being unavailable (the cause goes to the log). */
export async function callKms<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new TemporarilyUnavailableError("the signing service is unavailable, try again shortly", { cause: error });
  }
}
