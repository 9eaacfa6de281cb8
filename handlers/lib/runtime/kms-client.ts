import { KMSClient } from "@aws-sdk/client-kms";

let client: KMSClient | undefined;

/** One KMS client per cold start, shared by the signer and the refresh-token key. */
export const kmsClient = (): KMSClient => (client ??= new KMSClient({ maxAttempts: 3 }));
