import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { TemporarilyUnavailableError } from "../domain/errors.js";

/**
 * What every DynamoDB adapter shares: error mapping, conditional writes, strongly
 * consistent reads and attribute marshalling.
 */
export type Item = Record<string, AttributeValue>;
export type DynamoSend = Pick<DynamoDBClient, "send">;

/** Runs a call; any failure but a failed condition becomes temporarily_unavailable (503). */
export async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw error;
    throw new TemporarilyUnavailableError("the user store is unavailable, try again shortly", { cause: error });
  }
}

/** Runs a conditional write; false when its condition did not hold. */
export async function conditional(operation: () => Promise<unknown>): Promise<boolean> {
  try {
    await call(operation);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** A strongly consistent GetItem, so a write is seen by the next request. */
export async function getItem(db: DynamoSend, tableName: string, key: { pk: string; sk: string }): Promise<Item | undefined> {
  const result = await call(() => db.send(new GetItemCommand({ TableName: tableName, Key: marshalKey(key), ConsistentRead: true })));
  return result.Item;
}

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const str = (item: Item, name: string): string => item[name]?.S ?? "";
export const num = (item: Item, name: string): number => Number(item[name]?.N ?? 0);

export const marshalKey = (key: { pk: string; sk: string }): Item => ({ pk: s(key.pk), sk: s(key.sk) });
