/**
 * THE table definition: the stack creates the DynamoDB table from it and the local
 * runtime creates the dynalite table from it, so the two cannot drift.
 * One table, single-item conditional writes only (dynalite has no transactions).
 */
export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Epoch-seconds attribute DynamoDB TTL deletes expired sessions by. */
  ttlAttribute: "expires_at",
  attributes: [
    { name: "pk", type: "S" },
    { name: "sk", type: "S" },
  ],
} as const;

/** Item keys: users are unique per (tenant, email); sessions by id. */
export const keys = {
  user: (tenant: string, email: string) => ({ pk: `USER#${tenant}#${email}`, sk: "PROFILE" }),
  session: (sid: string) => ({ pk: `SESSION#${sid}`, sk: "SESSION" }),
};
