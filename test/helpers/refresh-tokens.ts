/**
 * The only place the fuzz, fault and log tests assume anything about a refresh token's
 * inner format, and all they assume: it starts with its session id (as
 * `parseRefreshToken` reads it) and a dot, and its last dot-separated part is the
 * unguessable one (the secret, or a MAC over it).
 */
import { parseRefreshToken } from "../../handlers/lib/domain/refresh-token.js";

/** The session id of a token this service issued. */
export function sidOf(token: string): string {
  const sid = parseRefreshToken(token)?.sid;
  if (!sid || !token.startsWith(`${sid}.`)) throw new Error("a refresh token no longer starts with its sid: update test/helpers/refresh-tokens.ts");
  return sid;
}

/** What must never be logged besides the whole token: everything after the sid, and the last part alone. */
export function secretPartsOf(token: string): string[] {
  const sid = sidOf(token);
  return [token.slice(sid.length + 1), token.slice(token.lastIndexOf(".") + 1)];
}

/**
 * The same token with its last part replaced by as many characters of `randomBase64url`:
 * a real sid with a secret that was never issued, in the shape of a real one.
 */
export function withForgedSecret(token: string, randomBase64url: string): string {
  const cut = token.lastIndexOf(".") + 1;
  const length = token.length - cut;
  if (randomBase64url.length < length) throw new Error(`need ${length} random characters, got ${randomBase64url.length}`);
  const forged = token.slice(0, cut) + randomBase64url.slice(0, length);
  if (parseRefreshToken(forged)?.sid !== sidOf(token)) throw new Error(`a forged refresh token no longer parses: update test/helpers/refresh-tokens.ts`);
  return forged;
}
