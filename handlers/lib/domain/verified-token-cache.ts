import { digestOf } from "./token-secrets.js";

/**
 * Verified access tokens a warm authorizer has already checked, so a token presented again
 * (every call of a page, a polling client) costs a hash and a lookup instead of a signature
 * verification. It matters where API Gateway's own cache is off or its entry has expired.
 *
 * - Keyed by a SHA-256 of the whole token, never the token: what the cache holds cannot be
 *   replayed, and two tokens differing in any byte are two entries.
 * - An entry is dropped at its token's `exp`, checked on every read with the caller's clock:
 *   a cached answer never outlives the token (RFC 9068 §4: expired tokens are refused).
 * - Bounded: past `maxEntries` the oldest insertion is evicted, so memory stays flat whatever
 *   clients send. Only tokens that verified are stored: refusals are never cached, so junk
 *   cannot fill it.
 */
export interface VerifiedTokenCache<T> {
  /** The entry's key for a token: computed once per request, then read and written with it. */
  keyOf(token: string): string;
  get(key: string, nowMs: number): T | undefined;
  set(key: string, value: T, expiresAtMs: number): void;
  readonly size: number;
}

export function verifiedTokenCache<T>(maxEntries: number): VerifiedTokenCache<T> {
  const entries = new Map<string, { value: T; expiresAtMs: number }>();
  return {
    keyOf: (token) => digestOf(token),
    get(key, nowMs) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= nowMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, expiresAtMs) {
      if (maxEntries <= 0) return;
      entries.delete(key);
      // A Map iterates in insertion order: its first key is the oldest entry.
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresAtMs });
    },
    get size() {
      return entries.size;
    },
  };
}
