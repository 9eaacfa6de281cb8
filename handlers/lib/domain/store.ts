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
  /** The owner proved the address (a verification link, or a password reset by email). */
  emailVerified: boolean;
  /** The TOTP second factor (mfa-enrolment.ts); absent when never enrolled. */
  mfa?: MfaState;
}

/** What the user item holds of its second factor: sealed secrets and hashes only (mfa-store.ts). */
export interface MfaState {
  /** The active TOTP secret, sealed (secret-box.ts); absent while MFA is off. */
  secret?: Uint8Array;
  /** An enrolment not yet confirmed: its sealed secret. */
  pending?: Uint8Array;
  /** The step of the last accepted code: only later steps are accepted (RFC 6238 §5.2). */
  lastStep?: number;
  /** SHA-256 hashes of the unused recovery codes. */
  recoveryCodes: string[];
}

export interface SessionRecord {
  sid: string;
  userId: string;
  tenant: string;
  email: string;
  /**
   * Rotations so far: the refresh token of this generation is the current one. Tokens are
   * MACs over (sid, generation) under a key outside the table, so no secret is stored.
   */
  generation: number;
  /** When the current generation replaced the previous one (epoch ms): starts the grace window. */
  rotatedAt?: number;
  revoked: boolean;
  sessionVersion: number;
  /** ISO 8601. */
  createdAt: string;
  /** Epoch seconds: the DynamoDB TTL attribute; code checks it too, as TTL deletion lags. */
  expiresAt: number;
  /** The client as last seen (at login, then at each rotation), for the session list. */
  client?: ClientInfo;
  /**
   * The user's `emailVerified` at login: refresh signs with it beside the user read, and signs
   * again only when the user's differs (verified since: sessions.ts).
   */
  emailVerified?: boolean;
  /** How the session's sign-in was authenticated (RFC 8176 §2); sessions from before MFA have none: `["pwd"]`. */
  amr?: readonly string[];
}

/** What the session list shows of a device: never a token. */
export interface ClientInfo {
  userAgent: string;
  sourceIp: string;
}

export interface UserStore {
  /** Creates the user if (tenant, email) is free; throws `UserExistsError` otherwise. */
  createUser(user: UserRecord): Promise<void>;
  getUser(tenant: string, email: string): Promise<UserRecord | undefined>;
  /**
   * Adds one to the user's session version, if the item still belongs to `userId`, and
   * returns the new version (undefined when the account is gone): every session minted
   * under an older version stops refreshing, with one write and no scan.
   */
  bumpSessionVersion(tenant: string, email: string, userId: string): Promise<number | undefined>;
  /**
   * Replaces the password hash and bumps the session version in one write (with
   * `verifyEmail`, also marks the email verified: a reset proves the address); undefined
   * when the account is gone.
   */
  changePassword(tenant: string, email: string, userId: string, passwordHash: string, options?: { verifyEmail?: boolean }): Promise<number | undefined>;
  /** Marks the email verified, if the item still belongs to `userId`; false when the account is gone. */
  markEmailVerified(tenant: string, email: string, userId: string): Promise<boolean>;
  /** Deletes the user item if it still belongs to `userId`; false when it was already gone. */
  deleteUser(tenant: string, email: string, userId: string): Promise<boolean>;
}

export interface SessionStore {
  createSession(session: SessionRecord): Promise<void>;
  getSession(sid: string): Promise<SessionRecord | undefined>;
  /**
   * Advances the session from generation `from` to `from + 1` only if it is still at `from`
   * and not revoked: one conditional write, so of concurrent rotations from one token
   * exactly one returns true.
   */
  rotateSession(sid: string, from: number, rotatedAt: number, client?: ClientInfo): Promise<boolean>;
  /**
   * The session and the user it names, in one strongly consistent read (BatchGetItem): what
   * a strict route checks.
   */
  getSessionWithOwner(sid: string, tenant: string, email: string): Promise<{ session?: SessionRecord; user?: UserRecord }>;
  /** The user's sessions, live or not (an eventually consistent index query; at most 100). */
  listSessions(userId: string): Promise<SessionRecord[]>;
  /** Moves a live session to `sessionVersion` (keeps it through a bump); false if it is gone or revoked. */
  restampSession(sid: string, sessionVersion: number): Promise<boolean>;
  /** Deletes the session item (account deletion: no personal data left behind). */
  deleteSession(sid: string): Promise<void>;
  /** Marks the session revoked; revoking a missing session is a no-op. */
  revokeSession(sid: string): Promise<void>;
}

export type AuthStore = UserStore & SessionStore;
