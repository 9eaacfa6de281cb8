/**
 * Storage port for the abuse counters. They live in the table, with a TTL, because
 * Lambda instances share no memory. Adapter: `adapters/dynamo-counters.ts`.
 */

/** One per (tenant, email), whether or not the account exists. */
export interface LoginCounter {
  /** Attempts counted since the last success (each is counted before its password check). */
  failures: number;
  /** Epoch ms; 0 when not locked. */
  lockedUntil: number;
  /** Epoch seconds: the DynamoDB TTL attribute; code checks it too, as TTL deletion lags. */
  expiresAt: number;
}

/**
 * `login-failure`: failed logins and refreshes; `signup`: registrations; `mail-request`:
 * forgot-password and verification resends, per address; `account-mail`: mail sent to one
 * account on unauthenticated requests (the window's source is then the account's bucket).
 */
export type SourceKind = "login-failure" | "signup" | "mail-request" | "account-mail";

/** One fixed window of one source's counter. */
export interface SourceWindow {
  source: string;
  kind: SourceKind;
  /** Epoch seconds the window starts at. */
  start: number;
  /** Epoch seconds it ends at: its TTL. */
  end: number;
}

export interface CounterStore {
  /** Strongly consistent; the raw item, even if past its TTL. */
  getLoginCounter(tenant: string, email: string): Promise<LoginCounter | undefined>;
  /**
   * Writes `next` only if the stored `failures` still equals `expectedFailures`
   * (undefined: only if there is no item). One conditional write: of concurrent
   * attempts that read the same counter exactly one returns true.
   */
  putLoginCounter(tenant: string, email: string, expectedFailures: number | undefined, next: LoginCounter): Promise<boolean>;
  /** Removes the counter; removing a missing one is a no-op. */
  deleteLoginCounter(tenant: string, email: string): Promise<void>;
  /** How many were counted in the window so far (0 without an item). */
  getSourceCount(window: SourceWindow): Promise<number>;
  /** Counts one more in the window, atomically; returns the new count. */
  addSourceCount(window: SourceWindow): Promise<number>;
}
