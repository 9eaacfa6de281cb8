import type { AccessClaims } from "./access-token.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError } from "./errors.js";
import { isGenuine, parseRefreshToken } from "./refresh-token.js";
import { endSession } from "./sessions.js";

type RevocationDeps = Pick<Deps, "store" | "refreshKey" | "logger">;

/** What a revocation request presented, judged without telling the client (RFC 7009 §2.2). */
const NOT_OURS = "not a token this service issued";

/**
 * RFC 7009 §2.1: revokes what `token` stands for, guided by no hint (§2.1: a hint only saves
 * a lookup, and here the shape tells the kinds apart at no cost).
 * - A refresh token whose mac this service computes (of any generation: it is of the same
 *   family) ends its session; an unknown, expired or already revoked session is already what
 *   the client asks for. A forged mac revokes nothing, as on refresh.
 * - An access token whose signature and claims verify (`verifyAccess`) ends the session it
 *   names: §2.1 lets the server revoke "related tokens". The access token itself stays
 *   valid until it expires, as after a sign-out: it is verified offline.
 * Anything else throws InvalidGrantError, so the caller can count it against the source
 * address like a failed refresh, and then answer 200 as for any other token.
 */
export async function revokeToken(
  token: string,
  deps: RevocationDeps & { verifyAccess?: (token: string) => AccessClaims },
): Promise<void> {
  const refresh = parseRefreshToken(token);
  if (refresh) {
    if (!(await isGenuine(refresh, deps.refreshKey))) throw new InvalidGrantError(NOT_OURS);
    return ended(refresh.sid, "refresh token", deps);
  }
  const claims = accessClaims(token, deps.verifyAccess);
  if (!claims) throw new InvalidGrantError(NOT_OURS);
  return ended(claims.sid, "access token", deps);
}

function accessClaims(token: string, verify?: (token: string) => AccessClaims): AccessClaims | undefined {
  try {
    return verify?.(token);
  } catch {
    return undefined;
  }
}

/** Ends the session; revokeSession refuses to create an unknown sid, which is fine here. */
async function ended(sid: string, by: string, deps: RevocationDeps): Promise<void> {
  await endSession(sid, deps);
  deps.logger.info("session revoked", { sid, by });
}
