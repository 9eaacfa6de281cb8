import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { TemporarilyUnavailableError, UserExistsError } from "../domain/errors.js";
import type { AuthStore, SessionRecord, UserRecord } from "../domain/store.js";
import { keys, TABLE } from "./table-definition.js";

type Item = Record<string, AttributeValue>;
export type DynamoSend = Pick<DynamoDBClient, "send">;

/**
 * DynamoDB adapter of the storage ports. Every write is a single-item conditional write;
 * reads are strongly consistent, so a rotation or revocation is seen by the next request.
 */
export function dynamoStore(db: DynamoSend, tableName: string): AuthStore {
  const call = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw new TemporarilyUnavailableError("the user store is unavailable, try again shortly", { cause: error });
    }
  };
  const getItem = async (key: { pk: string; sk: string }): Promise<Item | undefined> => {
    const result = await call(() =>
      db.send(new GetItemCommand({ TableName: tableName, Key: marshalKey(key), ConsistentRead: true })),
    );
    return result.Item;
  };
  /** Runs a conditional write; false when its condition did not hold. */
  const conditional = async (operation: () => Promise<unknown>): Promise<boolean> => {
    try {
      await call(operation);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  return {
    async createUser(user) {
      const created = await conditional(() =>
        db.send(
          new PutItemCommand({
            TableName: tableName,
            Item: userToItem(user),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      if (!created) throw new UserExistsError("an account with this email already exists");
    },

    async getUser(tenant, email) {
      const item = await getItem(keys.user(tenant, email));
      return item && itemToUser(item);
    },

    async createSession(session) {
      await call(() =>
        db.send(
          new PutItemCommand({
            TableName: tableName,
            Item: sessionToItem(session),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async getSession(sid) {
      const item = await getItem(keys.session(sid));
      return item && itemToSession(item);
    },

    rotateSession(sid, from, rotatedAt) {
      return conditional(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.session(sid)),
            UpdateExpression: "SET generation = :next, rotated_at = :at",
            ConditionExpression: "generation = :from AND revoked = :false",
            ExpressionAttributeValues: { ":from": n(from), ":next": n(from + 1), ":at": n(rotatedAt), ":false": { BOOL: false } },
          }),
        ),
      );
    },

    async revokeSession(sid) {
      await conditional(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.session(sid)),
            UpdateExpression: "SET revoked = :true",
            // Without the condition an update would create a stub item for an unknown sid.
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":true": { BOOL: true } },
          }),
        ),
      );
    },
  };
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const str = (item: Item, name: string): string => item[name]?.S ?? "";
const num = (item: Item, name: string): number => Number(item[name]?.N ?? 0);

const marshalKey = (key: { pk: string; sk: string }): Item => ({ pk: s(key.pk), sk: s(key.sk) });

function userToItem(user: UserRecord): Item {
  return {
    ...marshalKey(keys.user(user.tenant, user.email)),
    user_id: s(user.userId),
    tenant: s(user.tenant),
    email: s(user.email),
    password_hash: s(user.passwordHash),
    created_at: s(user.createdAt),
    failed_logins: n(user.failedLogins),
    locked_until: n(user.lockedUntil),
    session_version: n(user.sessionVersion),
  };
}

function itemToUser(item: Item): UserRecord {
  return {
    userId: str(item, "user_id"),
    tenant: str(item, "tenant"),
    email: str(item, "email"),
    passwordHash: str(item, "password_hash"),
    createdAt: str(item, "created_at"),
    failedLogins: num(item, "failed_logins"),
    lockedUntil: num(item, "locked_until"),
    sessionVersion: num(item, "session_version"),
  };
}

function sessionToItem(session: SessionRecord): Item {
  return {
    ...marshalKey(keys.session(session.sid)),
    user_id: s(session.userId),
    tenant: s(session.tenant),
    email: s(session.email),
    generation: n(session.generation),
    revoked: { BOOL: session.revoked },
    session_version: n(session.sessionVersion),
    created_at: s(session.createdAt),
    [TABLE.ttlAttribute]: n(session.expiresAt),
  };
}

function itemToSession(item: Item): SessionRecord {
  return {
    sid: str(item, "pk").slice("SESSION#".length),
    userId: str(item, "user_id"),
    tenant: str(item, "tenant"),
    email: str(item, "email"),
    generation: num(item, "generation"),
    rotatedAt: item.rotated_at ? num(item, "rotated_at") : undefined,
    revoked: item.revoked?.BOOL ?? false,
    sessionVersion: num(item, "session_version"),
    createdAt: str(item, "created_at"),
    expiresAt: num(item, TABLE.ttlAttribute),
  };
}
