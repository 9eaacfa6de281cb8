/**
 * Storage ports the domain depends on. Adapters: `dynamo-store.ts` (DynamoDB, and
 * dynalite locally). Records are plain data: no AWS types cross this line.
 */

export interface UserRecord {
  userId: string;
  tenant: string;
  email: string;
  passwordHash: string;
  /** ISO 8601. */
  createdAt: string;
  /** Seam for "sign out everywhere": sessions minted under an older version stop refreshing. */
  sessionVersion: number;
}

export interface SessionRecord {
  sid: string;
  userId: string;
  tenant: string;
  email: string;
  /** SHA-256 of the current refresh secret; the secret itself is never stored. */
  secretHash: string;
  /** Hash of the secret this one replaced: presenting it again is reuse. */
  previousSecretHash?: string;
  generation: number;
  /** When the secret was last rotated (epoch ms): tells a concurrent duplicate from a replay. */
  rotatedAt?: number;
  revoked: boolean;
  sessionVersion: number;
  /** ISO 8601. */
  createdAt: string;
  /** Epoch seconds: the DynamoDB TTL attribute; code checks it too, as TTL deletion lags. */
  expiresAt: number;
}

export interface UserStore {
  /** Creates the user if (tenant, email) is free; throws `UserExistsError` otherwise. */
  createUser(user: UserRecord): Promise<void>;
  getUser(tenant: string, email: string): Promise<UserRecord | undefined>;
}

export interface SessionStore {
  createSession(session: SessionRecord): Promise<void>;
  getSession(sid: string): Promise<SessionRecord | undefined>;
  /**
   * Replaces the secret hash with `nextHash` only if it still equals `expectedHash` and
   * the session is not revoked: one conditional write, so of concurrent rotations with
   * the same token exactly one returns true.
   */
  rotateSession(sid: string, expectedHash: string, nextHash: string, rotatedAt: number): Promise<boolean>;
  /** Marks the session revoked; revoking a missing session is a no-op. */
  revokeSession(sid: string): Promise<void>;
}

export type AuthStore = UserStore & SessionStore;
