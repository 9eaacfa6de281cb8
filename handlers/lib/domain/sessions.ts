import { issueAccessToken, type Subject } from "./access-token.js";
import { toEpochSeconds } from "./clock.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError } from "./errors.js";
import { formatRefreshToken, hashSecret, newSecret, newSessionId, parseRefreshToken, sameHash } from "./refresh-token.js";
import type { UserRecord } from "./store.js";

/** What login and refresh return: an access token and the session's new refresh token. */
export interface TokenSet {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

type SessionDeps = Pick<Deps, "store" | "signer" | "config" | "clock" | "logger">;

/** Opens a session for a user who just proved their password, and issues its tokens. */
export async function startSession(user: UserRecord, deps: SessionDeps): Promise<TokenSet> {
  const now = deps.clock();
  const sid = newSessionId();
  const secret = newSecret();
  const expiresAt = toEpochSeconds(now) + deps.config.refreshTokenTtlSeconds;
  await deps.store.createSession({
    sid,
    userId: user.userId,
    tenant: user.tenant,
    email: user.email,
    secretHash: hashSecret(secret),
    generation: 0,
    revoked: false,
    sessionVersion: user.sessionVersion,
    createdAt: new Date(now).toISOString(),
    expiresAt,
  });
  const subject = { userId: user.userId, email: user.email, tenant: user.tenant, sid };
  return tokenSet(subject, formatRefreshToken({ sid, secret }), expiresAt, now, deps);
}

const REFRESH_REFUSED = "the refresh token is invalid, expired or revoked; sign in again";

/**
 * Rotates a refresh token (RFC 9700 §4.14.2): the presented secret is replaced by a new
 * one in a single conditional write. Presenting the secret it replaced is reuse, a sign
 * the token leaked, and revokes the whole session, unless that rotation happened while
 * this request was in flight (concurrent refreshes with one token: exactly one wins and
 * the others are refused, but the winner's session lives on). The session's lifetime is
 * fixed at login: rotation does not extend it.
 */
export async function refreshSession(presented: string, deps: SessionDeps): Promise<TokenSet> {
  const token = parseRefreshToken(presented);
  if (!token) throw new InvalidGrantError(REFRESH_REFUSED);
  const now = deps.clock();
  const session = await deps.store.getSession(token.sid);
  if (!session || session.revoked || session.expiresAt <= toEpochSeconds(now)) {
    throw new InvalidGrantError(REFRESH_REFUSED);
  }
  const presentedHash = hashSecret(token.secret);
  if (sameHash(session.previousSecretHash, presentedHash)) {
    if ((session.rotatedAt ?? 0) >= now) throw new InvalidGrantError(REFRESH_REFUSED);
    await deps.store.revokeSession(session.sid);
    deps.logger.warn("refresh token reuse: session revoked", { sid: session.sid, userId: session.userId });
    throw new InvalidGrantError(REFRESH_REFUSED);
  }
  if (!sameHash(session.secretHash, presentedHash)) throw new InvalidGrantError(REFRESH_REFUSED);

  const secret = newSecret();
  // A lost race means another request rotated this token first; that one wins. The
  // session is not revoked for a race: a later replay of this token will be caught above.
  if (!(await deps.store.rotateSession(session.sid, presentedHash, hashSecret(secret), deps.clock()))) {
    throw new InvalidGrantError(REFRESH_REFUSED);
  }
  const subject = { userId: session.userId, email: session.email, tenant: session.tenant, sid: session.sid };
  return tokenSet(subject, formatRefreshToken({ sid: session.sid, secret }), session.expiresAt, now, deps);
}

/** Ends a session: its refresh token stops working. Its access tokens expire on their own. */
export async function endSession(sid: string, deps: Pick<Deps, "store">): Promise<void> {
  await deps.store.revokeSession(sid);
}

async function tokenSet(subject: Subject, refreshToken: string, expiresAt: number, now: number, deps: SessionDeps): Promise<TokenSet> {
  const access = await issueAccessToken(subject, { signer: deps.signer, config: deps.config, now });
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken,
    refreshExpiresIn: expiresAt - toEpochSeconds(now),
  };
}
