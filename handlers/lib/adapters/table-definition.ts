/**
 * THE table definition: the stack creates the DynamoDB table from it and the local
 * runtime creates the dynalite table from it, so the two cannot drift.
 * One table, single-item conditional writes only (dynalite has no transactions).
 */
export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Epoch-seconds attribute DynamoDB TTL deletes expired sessions, counters and email tokens by. */
  ttlAttribute: "expires_at",
  attributes: [
    { name: "pk", type: "S" },
    { name: "sk", type: "S" },
    { name: "session_owner", type: "S" },
  ],
  /**
   * Sessions by user (`GET /auth/sessions`): only session items carry `session_owner`, so
   * the index holds nothing else. Its reads are eventually consistent, which a list allows.
   */
  sessionsByOwner: { name: "sessions-by-owner", partitionKey: "session_owner" },
} as const;

/**
 * Partition key prefixes, one per kind of item. IAM grants each function only the
 * prefixes it touches (`dynamodb:LeadingKeys`, from handlers/functions.ts).
 */
export const KEY_PREFIX = {
  user: "USER#",
  session: "SESSION#",
  /** Login counter per (tenant, email), kept for unknown emails too. */
  login: "LOGIN#",
  /** Per-source-address window counters. */
  source: "SOURCE#",
  /** A user's sessions, as the sessions-by-owner index is keyed. */
  sessionOwner: "SESSIONS#",
  /** The one pending email token per (user, purpose). */
  emailToken: "EMAILTOKEN#",
  /** A pending second step of a sign-in, by the hash of its token. */
  mfaToken: "MFATOKEN#",
} as const;

/**
 * Item keys: users are unique per (tenant, email); sessions by id; counters per account and
 * per source window; email tokens per (user id, purpose), so a new one replaces the old.
 */
export const keys = {
  user: (tenant: string, email: string) => ({ pk: `${KEY_PREFIX.user}${tenant}#${email}`, sk: "PROFILE" }),
  session: (sid: string) => ({ pk: `${KEY_PREFIX.session}${sid}`, sk: "SESSION" }),
  sessionOwner: (userId: string) => `${KEY_PREFIX.sessionOwner}${userId}`,
  loginCounter: (tenant: string, email: string) => ({ pk: `${KEY_PREFIX.login}${tenant}#${email}`, sk: "COUNTER" }),
  sourceCounter: (source: string, kind: string, windowStart: number) => ({
    pk: `${KEY_PREFIX.source}${source}#${kind}#${windowStart}`,
    sk: "COUNTER",
  }),
  emailToken: (userId: string, purpose: string) => ({ pk: `${KEY_PREFIX.emailToken}${userId}#${purpose}`, sk: "TOKEN" }),
  mfaToken: (tokenHash: string) => ({ pk: `${KEY_PREFIX.mfaToken}${tokenHash}`, sk: "TOKEN" }),
};
