import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { required, type Env } from "./config.js";
import { dynamoCounters } from "../adapters/dynamo-counters.js";
import { dynamoEmailTokens } from "../adapters/dynamo-email-tokens.js";
import { dynamoMfa } from "../adapters/dynamo-mfa.js";
import type { MfaStore } from "../domain/mfa-store.js";
import { dynamoStore } from "../adapters/dynamo-store.js";
import type { CounterStore } from "../domain/counters.js";
import type { EmailTokenStore } from "../domain/email-token-store.js";
import type { AuthStore } from "../domain/store.js";

/** One DynamoDB client per cold start, shared by the store and the counters (one connection pool). */
let client: DynamoDBClient | undefined;
const dynamo = () => (client ??= new DynamoDBClient({ maxAttempts: 3 }));

/**
 * The DynamoDB-backed store, created once per cold start. The SDK reads region,
 * credentials and `AWS_ENDPOINT_URL_DYNAMODB` (dynalite or LocalStack) from the environment.
 */
export function storeFromEnv(env: Env): AuthStore {
  return dynamoStore(dynamo(), required(env, "TABLE_NAME"));
}

/** The abuse counters, in the same table. */
export function countersFromEnv(env: Env): CounterStore {
  return dynamoCounters(dynamo(), required(env, "TABLE_NAME"));
}

/** The pending email tokens, in the same table. */
export function emailTokensFromEnv(env: Env): EmailTokenStore {
  return dynamoEmailTokens(dynamo(), required(env, "TABLE_NAME"));
}

/** The second factor's state and sign-in challenges, in the same table. */
export function mfaFromEnv(env: Env): MfaStore {
  return dynamoMfa(dynamo(), required(env, "TABLE_NAME"));
}
