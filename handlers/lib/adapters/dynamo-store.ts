import { BatchGetItemCommand, ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { UserExistsError } from "../domain/errors.js";
import type { AuthStore, MfaState, SessionRecord, UserRecord } from "../domain/store.js";
import { call, conditional, getItem as getItemFrom, marshalKey, n, num, s, str, type DynamoSend, type Item } from "./dynamo-calls.js";
import { keys, TABLE } from "./table-definition.js";

/**
 * DynamoDB adapter of the storage ports. Every write is a single-item conditional write;
 * reads are strongly consistent, so a rotation or revocation is seen by the next request.
 */
export function dynamoStore(db: DynamoSend, tableName: string): AuthStore {
  const getItem = (key: { pk: string; sk: string }) => getItemFrom(db, tableName, key);
  /**
   * An update of the user item, only while the item belongs to `userId` (never creating one,
   * nor touching a re-created account); the updated attributes, or undefined when the account
   * is gone.
   */
  const updateUser = async (tenant: string, email: string, userId: string, expression: string, values: Item): Promise<Item | undefined> => {
    try {
      const result = await call(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.user(tenant, email)),
            UpdateExpression: expression,
            ConditionExpression: "user_id = :user",
            ExpressionAttributeValues: { ":user": s(userId), ...values },
            ReturnValues: "UPDATED_NEW",
          }),
        ),
      );
      return result.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  };
  /** An update that bumps the session version: the new version, or undefined when the account is gone. */
  const bumpUser = async (tenant: string, email: string, userId: string, set: string, values: Item): Promise<number | undefined> => {
    const updated = await updateUser(tenant, email, userId, `${set} ADD session_version :one`.trim(), { ":one": n(1), ...values });
    return updated && num(updated, "session_version");
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

    bumpSessionVersion: (tenant, email, userId) => bumpUser(tenant, email, userId, "", {}),

    changePassword: (tenant, email, userId, passwordHash, options) =>
      options?.verifyEmail
        ? bumpUser(tenant, email, userId, "SET password_hash = :hash, email_verified = :true", { ":hash": s(passwordHash), ":true": { BOOL: true } })
        : bumpUser(tenant, email, userId, "SET password_hash = :hash", { ":hash": s(passwordHash) }),

    async markEmailVerified(tenant, email, userId) {
      return (await updateUser(tenant, email, userId, "SET email_verified = :true", { ":true": { BOOL: true } })) !== undefined;
    },

    deleteUser(tenant, email, userId) {
      return conditional(() =>
        db.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.user(tenant, email)),
            ConditionExpression: "user_id = :user",
            ExpressionAttributeValues: { ":user": s(userId) },
          }),
        ),
      );
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

    rotateSession(sid, from, rotatedAt, client) {
      return conditional(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.session(sid)),
            UpdateExpression: `SET generation = :next, rotated_at = :at${client ? ", user_agent = :agent, source_ip = :ip" : ""}`,
            ConditionExpression: "generation = :from AND revoked = :false",
            ExpressionAttributeValues: {
              ":from": n(from),
              ":next": n(from + 1),
              ":at": n(rotatedAt),
              ":false": { BOOL: false },
              ...(client ? { ":agent": s(client.userAgent), ":ip": s(client.sourceIp) } : {}),
            },
          }),
        ),
      );
    },

    async getSessionWithOwner(sid, tenant, email) {
      const sessionKey = keys.session(sid);
      const result = await call(() =>
        db.send(
          new BatchGetItemCommand({
            RequestItems: { [tableName]: { ConsistentRead: true, Keys: [marshalKey(sessionKey), marshalKey(keys.user(tenant, email))] } },
          }),
        ),
      );
      // Two small items never exceed BatchGetItem's limits, so nothing comes back unprocessed.
      const items = result.Responses?.[tableName] ?? [];
      const session = items.find((item) => item.pk?.S === sessionKey.pk);
      const user = items.find((item) => item.pk?.S !== sessionKey.pk);
      return { session: session && itemToSession(session), user: user && itemToUser(user) };
    },

    async listSessions(userId) {
      const result = await call(() =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: TABLE.sessionsByOwner.name,
            KeyConditionExpression: "#owner = :owner",
            ExpressionAttributeNames: { "#owner": TABLE.sessionsByOwner.partitionKey },
            ExpressionAttributeValues: { ":owner": s(keys.sessionOwner(userId)) },
            Limit: 100,
          }),
        ),
      );
      return (result.Items ?? []).map(itemToSession);
    },

    restampSession(sid, sessionVersion) {
      return conditional(() =>
        db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshalKey(keys.session(sid)),
            UpdateExpression: "SET session_version = :version",
            ConditionExpression: "attribute_exists(pk) AND revoked = :false",
            ExpressionAttributeValues: { ":version": n(sessionVersion), ":false": { BOOL: false } },
          }),
        ),
      );
    },

    async deleteSession(sid) {
      await call(() => db.send(new DeleteItemCommand({ TableName: tableName, Key: marshalKey(keys.session(sid)) })));
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

function userToItem(user: UserRecord): Item {
  return {
    ...marshalKey(keys.user(user.tenant, user.email)),
    user_id: s(user.userId),
    tenant: s(user.tenant),
    email: s(user.email),
    password_hash: s(user.passwordHash),
    created_at: s(user.createdAt),
    session_version: n(user.sessionVersion),
    email_verified: { BOOL: user.emailVerified },
  };
}

function itemToUser(item: Item): UserRecord {
  return {
    userId: str(item, "user_id"),
    tenant: str(item, "tenant"),
    email: str(item, "email"),
    passwordHash: str(item, "password_hash"),
    createdAt: str(item, "created_at"),
    sessionVersion: num(item, "session_version"),
    // Accounts created before verification existed have no attribute: unverified.
    emailVerified: item.email_verified?.BOOL ?? false,
    ...(item.mfa_secret || item.mfa_pending ? { mfa: itemToMfa(item) } : {}),
  };
}

/** The second factor's attributes (adapters/dynamo-mfa.ts writes them). */
const itemToMfa = (item: Item): MfaState => ({
  ...(item.mfa_secret?.B ? { secret: item.mfa_secret.B } : {}),
  ...(item.mfa_pending?.B ? { pending: item.mfa_pending.B } : {}),
  ...(item.mfa_last_step?.N ? { lastStep: Number(item.mfa_last_step.N) } : {}),
  recoveryCodes: item.mfa_recovery?.SS ?? [],
});

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
    [TABLE.sessionsByOwner.partitionKey]: s(keys.sessionOwner(session.userId)),
    ...(session.client ? { user_agent: s(session.client.userAgent), source_ip: s(session.client.sourceIp) } : {}),
    ...(session.emailVerified === undefined ? {} : { email_verified: { BOOL: session.emailVerified } }),
    ...(session.amr ? { amr: { L: session.amr.map(s) } } : {}),
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
    ...(item.source_ip ? { client: { userAgent: str(item, "user_agent"), sourceIp: str(item, "source_ip") } } : {}),
    ...(item.email_verified ? { emailVerified: item.email_verified.BOOL ?? false } : {}),
    ...(item.amr?.L ? { amr: item.amr.L.map((method) => method.S ?? "") } : {}),
  };
}
