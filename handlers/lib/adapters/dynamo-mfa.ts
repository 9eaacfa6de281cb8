import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { MfaChallengeRecord, MfaStore, UserKey } from "../domain/mfa-store.js";
import { call, conditional, getItem, marshalKey, n, num, s, str, type DynamoSend, type Item } from "./dynamo-calls.js";
import { keys, TABLE } from "./table-definition.js";

/**
 * DynamoDB adapter of the MFA port. The state is four attributes of the user item:
 * `mfa_secret` and `mfa_pending` (sealed, binary), `mfa_last_step` (number) and
 * `mfa_recovery` (a string set of hashes); each change is one conditional UpdateItem that
 * holds only while the item belongs to the user. Challenges are items of their own.
 */
export function dynamoMfa(db: DynamoSend, tableName: string): MfaStore {
  const updateUser = (user: UserKey, update: string, condition: string, values: Item = {}) =>
    conditional(() =>
      db.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: marshalKey(keys.user(user.tenant, user.email)),
          UpdateExpression: update,
          ConditionExpression: `user_id = :user AND ${condition}`,
          ExpressionAttributeValues: { ":user": s(user.userId), ...values },
        }),
      ),
    );
  const sealed = (bytes: Uint8Array) => ({ B: bytes });
  const hashSet = (hashes: readonly string[]) => ({ SS: [...hashes] });

  return {
    setPendingTotp: (user, secret) => updateUser(user, "SET mfa_pending = :pending", "attribute_not_exists(mfa_secret)", { ":pending": sealed(secret) }),

    activateTotp: (user, secret, step, hashes) =>
      updateUser(
        user,
        "SET mfa_secret = :secret, mfa_last_step = :step, mfa_recovery = :codes REMOVE mfa_pending",
        "mfa_pending = :secret AND attribute_not_exists(mfa_secret)",
        { ":secret": sealed(secret), ":step": n(step), ":codes": hashSet(hashes) },
      ),

    // The step must be above every step used before: RFC 6238 §5.2, decided by the table, so concurrent uses cannot both pass.
    useTotpStep: (user, secret, step) =>
      updateUser(user, "SET mfa_last_step = :step", "mfa_secret = :secret AND (attribute_not_exists(mfa_last_step) OR mfa_last_step < :step)", {
        ":secret": sealed(secret),
        ":step": n(step),
      }),

    useRecoveryCode: (user, hash) =>
      updateUser(user, "DELETE mfa_recovery :used", "attribute_exists(mfa_secret) AND contains(mfa_recovery, :hash)", {
        ":used": hashSet([hash]),
        ":hash": s(hash),
      }),

    replaceRecoveryCodes: (user, hashes) => updateUser(user, "SET mfa_recovery = :codes", "attribute_exists(mfa_secret)", { ":codes": hashSet(hashes) }),

    disableTotp: (user) => updateUser(user, "REMOVE mfa_secret, mfa_pending, mfa_last_step, mfa_recovery", "attribute_exists(mfa_secret)"),

    async putChallenge(record) {
      await call(() =>
        db.send(new PutItemCommand({ TableName: tableName, Item: challengeToItem(record), ConditionExpression: "attribute_not_exists(pk)" })),
      );
    },

    async getChallenge(tokenHash) {
      const item = await getItem(db, tableName, keys.mfaToken(tokenHash));
      return item && itemToChallenge(item);
    },

    takeChallenge: (tokenHash) =>
      conditional(() =>
        db.send(new DeleteItemCommand({ TableName: tableName, Key: marshalKey(keys.mfaToken(tokenHash)), ConditionExpression: "attribute_exists(pk)" })),
      ),
  };
}

const challengeToItem = (record: MfaChallengeRecord): Item => ({
  ...marshalKey(keys.mfaToken(record.tokenHash)),
  user_id: s(record.userId),
  tenant: s(record.tenant),
  email: s(record.email),
  session_version: n(record.sessionVersion),
  created_at: s(record.createdAt),
  [TABLE.ttlAttribute]: n(record.expiresAt),
});

const itemToChallenge = (item: Item): MfaChallengeRecord => ({
  tokenHash: str(item, "pk").slice(keys.mfaToken("").pk.length),
  userId: str(item, "user_id"),
  tenant: str(item, "tenant"),
  email: str(item, "email"),
  sessionVersion: num(item, "session_version"),
  createdAt: str(item, "created_at"),
  expiresAt: num(item, TABLE.ttlAttribute),
});
