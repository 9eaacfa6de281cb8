import { DeleteItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { CounterStore, LoginCounter } from "../domain/counters.js";
import { call, conditional, getItem, marshalKey, n, num, type DynamoSend, type Item } from "./dynamo-calls.js";
import { keys, TABLE } from "./table-definition.js";

/** DynamoDB adapter of the counter port: single-item writes, strongly consistent reads. */
export function dynamoCounters(db: DynamoSend, tableName: string): CounterStore {
  return {
    async getLoginCounter(tenant, email) {
      const item = await getItem(db, tableName, keys.loginCounter(tenant, email));
      return item && itemToLoginCounter(item);
    },

    putLoginCounter(tenant, email, expectedFailures, next) {
      return conditional(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.loginCounter(tenant, email)),
            UpdateExpression: "SET failures = :failures, locked_until = :locked, #ttl = :expires",
            // Compare-and-set on the count that was read: a concurrent attempt that counted first makes this one re-read.
            ConditionExpression: expectedFailures === undefined ? "attribute_not_exists(pk)" : "failures = :expected",
            ExpressionAttributeNames: { "#ttl": TABLE.ttlAttribute },
            ExpressionAttributeValues: {
              ":failures": n(next.failures),
              ":locked": n(next.lockedUntil),
              ":expires": n(next.expiresAt),
              ...(expectedFailures === undefined ? {} : { ":expected": n(expectedFailures) }),
            },
          }),
        ),
      );
    },

    async deleteLoginCounter(tenant, email) {
      await call(() => db.send(new DeleteItemCommand({ TableName: tableName, Key: marshalKey(keys.loginCounter(tenant, email)) })));
    },

    async getSourceCount(window) {
      const item = await getItem(db, tableName, keys.sourceCounter(window.source, window.kind, window.start));
      return item ? num(item, "hits") : 0;
    },

    async addSourceCount(window) {
      const result = await call(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.sourceCounter(window.source, window.kind, window.start)),
            UpdateExpression: "ADD hits :one SET #ttl = :end",
            ExpressionAttributeNames: { "#ttl": TABLE.ttlAttribute },
            ExpressionAttributeValues: { ":one": n(1), ":end": n(window.end) },
            ReturnValues: "UPDATED_NEW",
          }),
        ),
      );
      return num(result.Attributes ?? {}, "hits");
    },
  };
}

const itemToLoginCounter = (item: Item): LoginCounter => ({
  failures: num(item, "failures"),
  lockedUntil: num(item, "locked_until"),
  expiresAt: num(item, TABLE.ttlAttribute),
});
