import { DeleteItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { EmailTokenPurpose, EmailTokenRecord, EmailTokenStore } from "../domain/email-token-store.js";
import { call, conditional, marshalKey, n, num, s, str, type DynamoSend, type Item } from "./dynamo-calls.js";
import { keys, TABLE } from "./table-definition.js";

/** DynamoDB adapter of the email-token port: one item per (user, purpose), single-item writes. */
export function dynamoEmailTokens(db: DynamoSend, tableName: string): EmailTokenStore {
  return {
    async putEmailToken(record) {
      // Unconditional: a resend replaces the pending token, so the previous link stops working.
      await call(() => db.send(new PutItemCommand({ TableName: tableName, Item: recordToItem(record) })));
    },

    async takeEmailToken(userId, purpose, tokenHash, tenant) {
      let old: Item | undefined;
      // The conditional delete is what makes the token single-use: of concurrent takes,
      // only the first finds the item; a wrong hash or tenant deletes nothing.
      const taken = await conditional(async () => {
        const result = await db.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.emailToken(userId, purpose)),
            // A missing item fails the condition too: nothing to take.
            ConditionExpression: tenant === undefined ? "token_hash = :hash" : "token_hash = :hash AND tenant = :tenant",
            ExpressionAttributeValues: { ":hash": s(tokenHash), ...(tenant === undefined ? {} : { ":tenant": s(tenant) }) },
            ReturnValues: "ALL_OLD",
          }),
        );
        old = result.Attributes;
      });
      return taken && old ? itemToRecord(old) : undefined;
    },

    async deleteEmailToken(userId, purpose) {
      await call(() => db.send(new DeleteItemCommand({ TableName: tableName, Key: marshalKey(keys.emailToken(userId, purpose)) })));
    },
  };
}

const recordToItem = (record: EmailTokenRecord): Item => ({
  ...marshalKey(keys.emailToken(record.userId, record.purpose)),
  user_id: s(record.userId),
  purpose: s(record.purpose),
  tenant: s(record.tenant),
  email: s(record.email),
  token_hash: s(record.tokenHash),
  created_at: s(record.createdAt),
  [TABLE.ttlAttribute]: n(record.expiresAt),
});

const itemToRecord = (item: Item): EmailTokenRecord => ({
  userId: str(item, "user_id"),
  purpose: str(item, "purpose") as EmailTokenPurpose,
  tenant: str(item, "tenant"),
  email: str(item, "email"),
  tokenHash: str(item, "token_hash"),
  createdAt: str(item, "created_at"),
  expiresAt: num(item, TABLE.ttlAttribute),
});
