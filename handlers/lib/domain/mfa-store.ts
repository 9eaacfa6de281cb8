/**
 * Storage port of the second factor. Adapter: `adapters/dynamo-mfa.ts`. The TOTP state
 * lives on the user item (one conditional UpdateItem per change); each sign-in challenge
 * (`mfa_token`) is an item of its own, hashed, with a short TTL.
 */

/** The user item an update applies to, only while it still belongs to `userId`. */
export interface UserKey {
  tenant: string;
  email: string;
  userId: string;
}

/** A pending second step of a sign-in: what the password step proved, bound to the account as it was. */
export interface MfaChallengeRecord {
  /** SHA-256 of the token's secret: the table never holds a usable token. */
  tokenHash: string;
  userId: string;
  tenant: string;
  email: string;
  /** The user's session version at the password step: a password change or reset since voids it. */
  sessionVersion: number;
  /** ISO 8601. */
  createdAt: string;
  /** Epoch seconds: the DynamoDB TTL attribute; code checks it too, as TTL deletion lags. */
  expiresAt: number;
}

/** Every method answers false, writing nothing, when its condition does not hold (state changed, or the account is gone). */
export interface MfaStore {
  /** Stores `sealed` as the pending enrolment, replacing a pending one, while MFA is off. */
  setPendingTotp(user: UserKey, sealed: Uint8Array): Promise<boolean>;
  /**
   * Makes the pending secret `sealed` active, if it is still the pending one and MFA is off:
   * records `step` as used and stores the recovery code hashes.
   */
  activateTotp(user: UserKey, sealed: Uint8Array, step: number, recoveryHashes: readonly string[]): Promise<boolean>;
  /**
   * Records `step` as used, only if the active secret is still `sealed` and every step used
   * before is lower: of concurrent uses of one code, exactly one returns true (RFC 6238 §5.2).
   */
  useTotpStep(user: UserKey, sealed: Uint8Array, step: number): Promise<boolean>;
  /** Removes one recovery code hash, only if it is there: each code works once. */
  useRecoveryCode(user: UserKey, hash: string): Promise<boolean>;
  /** Replaces every recovery code hash, while MFA is on. */
  replaceRecoveryCodes(user: UserKey, hashes: readonly string[]): Promise<boolean>;
  /** Removes the secret, any pending enrolment, the used step and the recovery codes, while MFA is on. */
  disableTotp(user: UserKey): Promise<boolean>;
  putChallenge(record: MfaChallengeRecord): Promise<void>;
  /** Strongly consistent; the raw item, even if past its TTL. */
  getChallenge(tokenHash: string): Promise<MfaChallengeRecord | undefined>;
  /** Deletes the challenge if it is there: of concurrent takes, exactly one returns true. */
  takeChallenge(tokenHash: string): Promise<boolean>;
}
