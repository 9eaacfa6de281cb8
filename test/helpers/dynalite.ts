import { ScanCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";
import { dynamoCounters } from "../../handlers/lib/adapters/dynamo-counters.js";
import { marshalKey } from "../../handlers/lib/adapters/dynamo-calls.js";
import { dynamoStore } from "../../handlers/lib/adapters/dynamo-store.js";
import { KEY_PREFIX, keys, TABLE } from "../../handlers/lib/adapters/table-definition.js";
import type { EmailTokenPurpose } from "../../handlers/lib/domain/email-token-store.js";
import type { CounterStore } from "../../handlers/lib/domain/counters.js";
import type { AuthStore } from "../../handlers/lib/domain/store.js";
import { ensureTable, localDynamoClient, startDynalite } from "../../local/dynalite.js";

/**
 * A real DynamoDB API (dynalite, in memory, on 127.0.0.1) with the service's table.
 * Call in `before`; `close` in `after`. `endpoint` and `tableName` let the real bundles
 * use it; `client` writes items the store would never write.
 */
export async function localTable(): Promise<{
  store: AuthStore;
  counters: CounterStore;
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}> {
  const server = await startDynalite();
  const client = localDynamoClient(server.endpoint);
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return {
    store: dynamoStore(client, tableName),
    client,
    counters: dynamoCounters(client, tableName),
    endpoint: server.endpoint,
    tableName,
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

/**
 * Moves the pending email token of (user, purpose) past its lifetime, as a test cannot wait
 * the 5 minutes a token lives at least: the stored expiry, which the code checks because TTL
 * deletion lags.
 */
export async function expireEmailToken(endpoint: string, tableName: string, userId: string, purpose: EmailTokenPurpose): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshalKey(keys.emailToken(userId, purpose)),
        UpdateExpression: "SET #expires = :past",
        ExpressionAttributeNames: { "#expires": TABLE.ttlAttribute },
        ExpressionAttributeValues: { ":past": { N: String(Math.floor(Date.now() / 1000) - 1) } },
      }),
    );
  } finally {
    client.destroy();
  }
}

/**
 * Moves every pending sign-in challenge (`mfa_token`) of the user past its lifetime, as
 * `expireEmailToken` does for email tokens; returns how many it moved. Found by a scan: the
 * table keys them by a hash the test does not know.
 */
export async function expireMfaTokens(endpoint: string, tableName: string, userId: string): Promise<number> {
  const client = localDynamoClient(endpoint);
  try {
    const { Items = [] } = await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: "begins_with(pk, :prefix) AND user_id = :user",
        ExpressionAttributeValues: { ":prefix": { S: KEY_PREFIX.mfaToken }, ":user": { S: userId } },
      }),
    );
    for (const item of Items) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: item.pk!, sk: item.sk! },
          UpdateExpression: "SET #expires = :past",
          ExpressionAttributeNames: { "#expires": TABLE.ttlAttribute },
          ExpressionAttributeValues: { ":past": { N: String(Math.floor(Date.now() / 1000) - 1) } },
        }),
      );
    }
    return Items.length;
  } finally {
    client.destroy();
  }
}
