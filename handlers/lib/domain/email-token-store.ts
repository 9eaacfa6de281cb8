/**
 * Storage port of the single-use email tokens (`email-tokens.ts`). Adapter:
 * `adapters/dynamo-email-tokens.ts`. At most one pending token per (user, purpose):
 * issuing replaces the previous one, and revoking is one delete, no scan.
 */

export const EMAIL_TOKEN_PURPOSES = ["verify-email", "reset-password"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

export interface EmailTokenRecord {
  userId: string;
  purpose: EmailTokenPurpose;
  tenant: string;
  email: string;
  /** SHA-256 of the token's secret (base64url): the table never holds a usable token. */
  tokenHash: string;
  /** ISO 8601. */
  createdAt: string;
  /** Epoch seconds: the DynamoDB TTL attribute; code checks it too, as TTL deletion lags. */
  expiresAt: number;
}

export interface EmailTokenStore {
  /** Stores the token, replacing any pending one of the same (user, purpose). */
  putEmailToken(record: EmailTokenRecord): Promise<void>;
  /**
   * Deletes the pending token of (user, purpose) only if its hash is this one (and its tenant
   * this one, when given), and returns what was deleted; undefined when nothing matched, and
   * nothing is deleted then. One conditional delete: of concurrent takes, exactly one gets it.
   */
  takeEmailToken(userId: string, purpose: EmailTokenPurpose, tokenHash: string, tenant?: string): Promise<EmailTokenRecord | undefined>;
  /** Deletes the pending token of (user, purpose), if any. */
  deleteEmailToken(userId: string, purpose: EmailTokenPurpose): Promise<void>;
}
