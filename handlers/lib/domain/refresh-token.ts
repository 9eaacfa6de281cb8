import { randomBytes, timingSafeEqual } from "node:crypto";
import type { MacKey } from "./mac-key.js";

/**
 * Refresh tokens shaped `<sid>.<generation>.<mac>`: the sid finds the session, the
 * generation counts its rotations, and the mac, HMAC-SHA-256 over both under a key kept
 * outside the table, proves the server issued exactly that generation (256 bits the
 * client cannot guess). The table stores the generation only: no usable secret
 * (RFC 9700 §4.14.2). Being derived, the token of any generation can be recomputed: that
 * is what lets concurrent refreshes converge on one token and lets a genuine token from
 * any older generation be told from a forgery.
 */
export interface RefreshToken {
  sid: string;
  generation: number;
  mac: string;
}

const SID_BYTES = 16;
const SID = /^[A-Za-z0-9_-]{22}$/;
/** Canonical decimal, no leading zeros: one spelling per generation. */
const GENERATION = /^(0|[1-9][0-9]{0,8})$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;
/** Domain separation: these MACs mean "refresh token", nothing else made with the key. */
const LABEL = "refresh-token/v1";

export const newSessionId = (): string => randomBytes(SID_BYTES).toString("base64url");

/** The token of `generation` for session `sid`. */
export async function refreshTokenFor(sid: string, generation: number, key: MacKey): Promise<string> {
  const mac = await key.mac(`${LABEL}\u0000${sid}\u0000${generation}`);
  return `${sid}.${generation}.${mac.toString("base64url")}`;
}

/** Returns undefined for anything not shaped like a token this service issues. */
export function parseRefreshToken(token: string): RefreshToken | undefined {
  if (token.length > 128) return undefined;
  const [sid, generation, mac, extra] = token.split(".");
  if (extra !== undefined || !SID.test(sid ?? "") || !GENERATION.test(generation ?? "") || !MAC.test(mac ?? "")) return undefined;
  return { sid, generation: Number(generation), mac };
}

/** Whether `token` carries the mac this service computes for its sid and generation (constant time). */
export async function isGenuine(token: RefreshToken, key: MacKey): Promise<boolean> {
  const expected = await refreshTokenFor(token.sid, token.generation, key);
  const presented = Buffer.from(`${token.sid}.${token.generation}.${token.mac}`);
  return presented.length === expected.length && timingSafeEqual(presented, Buffer.from(expected));
}
