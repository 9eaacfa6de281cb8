import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { required, type Env } from "./config.js";
import { dynamoStore } from "../adapters/dynamo-store.js";
import type { AuthStore } from "../domain/store.js";

/**
 * The DynamoDB-backed store, created once per cold start. The SDK reads region,
 * credentials and `AWS_ENDPOINT_URL_DYNAMODB` (dynalite or LocalStack) from the environment.
 */
export function storeFromEnv(env: Env): AuthStore {
  return dynamoStore(new DynamoDBClient({ maxAttempts: 3 }), required(env, "TABLE_NAME"));
}
