/**
 * dynalite (a DynamoDB implementation on LevelDB) on loopback, and the table created from
 * the same definition the stack deploys.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type DynamoDBClientConfig,
} from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { TABLE } from "../handlers/lib/adapters/table-definition.js";
import { listenOnLoopback } from "./listen.js";
import { LocalDataError, RESET_HINT } from "./local-data.js";

const require = createRequire(import.meta.url);

// Lambda runs Node 22; locally the SDK would warn about an older Node once per bundle.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const dynalite = require("dynalite") as (options: Record<string, unknown>) => Server;

export interface RunningDynalite {
  endpoint: string;
  /** Stops serving (connections are refused) and closes the store; data on disk stays. */
  close(): Promise<void>;
  /**
   * Serves again on the same port from the same data folder, after `close` (dynalite
   * reopens its LevelDB on listen). Lets the fault test take the table away and back.
   */
  reopen(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1; `path` keeps data in that folder, none keeps it in memory. */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<RunningDynalite> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listenOnLoopback(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
    async reopen() {
      // In memory, dynalite starts a fresh empty store on listen: nothing would come back.
      if (!options.path) throw new Error("dynalite can reopen only a data folder, not an in-memory store");
      await listenOnLoopback(server, port);
    },
  };
}

/** A client for a local endpoint; dynalite accepts any credentials. */
export const localDynamoClient = (endpoint: string, overrides: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, ...overrides });

/** How often, and how many times, to look whether a new table serves yet (at most 10 s). */
const ACTIVE_CHECK_MS = 25;
const ACTIVE_CHECKS = 400;

/**
 * Creates the table from THE table definition unless it exists, and returns once it serves.
 * A local table made before the sessions-by-owner index cannot gain it (dynalite does not
 * backfill an index): say so.
 */
export async function ensureTable(db: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === TABLE.sessionsByOwner.name)) {
      throw new LocalDataError(`the local table ${tableName} predates the ${TABLE.sessionsByOwner.name} index, which dynalite cannot add to it; ${RESET_HINT}`);
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createTable(db, tableName);
  }
  // A table is CREATING for a while (dynalite until a timer fires, LocalStack and DynamoDB
  // longer), and answers ResourceNotFoundException to every item request until it is ACTIVE.
  for (let check = 0; check < ACTIVE_CHECKS; check++) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_CHECK_MS));
  }
  throw new Error(`the table ${tableName} was not ACTIVE after ${(ACTIVE_CHECKS * ACTIVE_CHECK_MS) / 1000} s`);
}

async function createTable(db: DynamoDBClient, tableName: string): Promise<void> {
  await db.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: TABLE.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE.sessionsByOwner.name,
          KeySchema: [{ AttributeName: TABLE.sessionsByOwner.partitionKey, KeyType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    }),
  );
}
