import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";
import { dynamoCounters } from "../../handlers/lib/adapters/dynamo-counters.js";
import { dynamoStore } from "../../handlers/lib/adapters/dynamo-store.js";
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
