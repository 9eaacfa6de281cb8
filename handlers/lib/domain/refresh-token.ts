import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Opaque refresh tokens shaped `<sid>.<secret>`: the sid finds the session, the 256-bit
 * secret proves possession. Only SHA-256 of the secret is stored; a fast hash is enough
 * because the secret is random, not a password.
 */
export interface RefreshToken {
  sid: string;
  secret: string;
}

const SID_BYTES = 16;
const SECRET_BYTES = 32;
const PART = /^[A-Za-z0-9_-]+$/;

export const newSessionId = (): string => randomBytes(SID_BYTES).toString("base64url");
export const newSecret = (): string => randomBytes(SECRET_BYTES).toString("base64url");

export const formatRefreshToken = ({ sid, secret }: RefreshToken): string => `${sid}.${secret}`;

/** Returns undefined for anything not shaped like a token this service issued. */
export function parseRefreshToken(token: string): RefreshToken | undefined {
  if (token.length > 128) return undefined;
  const [sid, secret, extra] = token.split(".");
  if (extra !== undefined || !sid || !secret || !PART.test(sid) || !PART.test(secret)) return undefined;
  return { sid, secret };
}

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("base64url");

/** Constant-time comparison of two secret hashes. */
export function sameHash(a: string | undefined, b: string): boolean {
  if (a === undefined || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
