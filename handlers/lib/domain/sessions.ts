import { issueAccessToken, type Subject } from "./access-token.js";
import { toEpochSeconds } from "./clock.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError, InvalidRequestError } from "./errors.js";
import { isGenuine, newSessionId, parseRefreshToken, refreshTokenFor } from "./refresh-token.js";
import type { ClientInfo, SessionRecord, UserRecord } from "./store.js";

/** What login and refresh return: an access token and the session's current refresh token. */
export interface TokenSet {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

type SessionDeps = Pick<Deps, "store" | "signer" | "refreshKey" | "config" | "clock" | "logger">;

/**
 * Opens a session for a user who just proved their password. The session write, the
 * refresh token's MAC and the access token's signature do not depend on each other, so
 * they run together; if the write fails, the tokens are never seen.
 */
export async function startSession(user: UserRecord, deps: SessionDeps, client?: ClientInfo, amr: readonly string[] = ["pwd"]): Promise<TokenSet> {
  const now = deps.clock();
  const sid = newSessionId();
  const expiresAt = toEpochSeconds(now) + deps.config.refreshTokenTtlSeconds;
  const subject = { userId: user.userId, email: user.email, tenant: user.tenant, sid, emailVerified: user.emailVerified, amr };
  const [, refreshToken, access] = await Promise.all([
    deps.store.createSession({
      sid,
      userId: user.userId,
      tenant: user.tenant,
      email: user.email,
      generation: 0,
      revoked: false,
      sessionVersion: user.sessionVersion,
      createdAt: new Date(now).toISOString(),
      expiresAt,
      client,
      emailVerified: user.emailVerified,
      amr,
    }),
    refreshTokenFor(sid, 0, deps.refreshKey),
    issueAccessToken(subject, { signer: deps.signer, config: deps.config, now }),
  ]);
  return tokenSet(access, refreshToken, expiresAt, now);
}

const REFRESH_REFUSED = "the refresh token is invalid, expired or revoked; sign in again";

/**
 * Rotates a refresh token (RFC 9700 §4.14.2), judged by the generation it carries:
 * - the current generation advances the session by one, in one conditional write;
 * - the generation just replaced, within `refreshReuseGraceSeconds` of its replacement,
 *   gets the current token without another rotation: parallel tabs and retried requests
 *   converge on one token instead of signing the user out;
 * - any older generation, or the previous one after the window, is reuse: a sign that the
 *   token leaked, so the whole session (the family) is revoked;
 * - a mac the service never issued is refused and revokes nothing: sids appear in every
 *   access token, so anybody who saw one could otherwise end the session.
 * The session's lifetime is fixed at login: rotation does not extend it.
 */
export async function refreshSession(presented: string, deps: SessionDeps, client?: ClientInfo): Promise<TokenSet> {
  const token = parseRefreshToken(presented);
  if (!token) throw new InvalidGrantError(REFRESH_REFUSED);
  const now = deps.clock();
  // Every success answers with the token of generation + 1 (the rotation's, or the one a
  // concurrent request rotated to): compute it beside the lookup.
  const [session, genuine, nextToken] = await Promise.all([
    deps.store.getSession(token.sid),
    isGenuine(token, deps.refreshKey),
    refreshTokenFor(token.sid, token.generation + 1, deps.refreshKey),
  ]);
  if (!genuine || !session || !isLive(session, now)) throw new InvalidGrantError(REFRESH_REFUSED);

  // The session keeps how it signed in, so a refreshed token carries the same amr.
  const subject = { userId: session.userId, email: session.email, tenant: session.tenant, sid: session.sid, amr: session.amr };
  // Signed with the email state the session was opened with, beside the user read; signed
  // again only if the user's differs: a session opened before the user verified pays one
  // more signature per refresh (the rotation cannot record it: the user read runs beside it).
  const sign = (emailVerified: boolean) => issueAccessToken({ ...subject, emailVerified }, { signer: deps.signer, config: deps.config, now });
  const signedAs = session.emailVerified ?? false;
  const access = sign(signedAs);
  access.catch(() => undefined); // awaited below on every path that answers with it
  // Password change or reset, sign-out everywhere and account deletion outdate the session
  // through the user's item: read beside the rotation, so it costs no time.
  const owner = deps.store.getUser(session.tenant, session.email);
  owner.catch(() => undefined);
  const answer = async (record: SessionRecord) => {
    const user = await owner;
    if (!isCurrentFor(record, user)) throw new InvalidGrantError(REFRESH_REFUSED);
    return tokenSet(await (user.emailVerified === signedAs ? access : sign(user.emailVerified)), nextToken, record.expiresAt, now);
  };
  let current = session;
  let raced = false;
  if (token.generation === current.generation) {
    if (await deps.store.rotateSession(current.sid, current.generation, now, client)) return answer(current);
    // Lost the race to a concurrent refresh with the same token: judge it against the winner's write.
    const latest = await deps.store.getSession(current.sid);
    if (!latest || !isLive(latest, now)) throw new InvalidGrantError(REFRESH_REFUSED);
    current = latest;
    raced = true;
  }
  if (token.generation === current.generation - 1) {
    if (withinGrace(current, now, deps.config.refreshReuseGraceSeconds)) return answer(current);
    // With no grace window, a request that overlapped the rotation is refused but is no replay.
    if (raced || (current.rotatedAt ?? 0) >= now) throw new InvalidGrantError(REFRESH_REFUSED);
  }
  if (token.generation < current.generation) {
    await deps.store.revokeSession(current.sid);
    deps.logger.warn("refresh token reuse: session revoked", {
      sid: current.sid,
      userId: current.userId,
      presentedGeneration: token.generation,
      currentGeneration: current.generation,
    });
  }
  // A genuine generation ahead of the session cannot have been issued: refuse it, revoke nothing.
  throw new InvalidGrantError(REFRESH_REFUSED);
}

/** Ends a session: its refresh token stops working. Its access tokens expire on their own. */
export async function endSession(sid: string, deps: Pick<Deps, "store">): Promise<void> {
  await deps.store.revokeSession(sid);
}

/** Sign-out scopes, in Supabase's vocabulary. */
export const SIGN_OUT_SCOPES = ["local", "others", "global"] as const;
export type SignOutScope = (typeof SIGN_OUT_SCOPES)[number];

/** Reads `{scope?}`: `local` unless it names another of the scopes. */
export function readSignOutScope(body: Record<string, unknown>): SignOutScope {
  if (body.scope === undefined) return "local";
  const scope = SIGN_OUT_SCOPES.find((known) => known === body.scope);
  if (!scope) throw new InvalidRequestError(`scope must be one of ${SIGN_OUT_SCOPES.join(", ")}`);
  return scope;
}

/**
 * Signs out `local`ly (this session), `others` (every other session of the user) or
 * `global`ly (all of them). Others and global bump the user's session version, one write
 * that outdates every session at its next refresh or strict request, with no scan; for
 * `others` the current session is then moved to the new version. A refresh of this very
 * session in the instant between the two writes is refused; the session itself lives on.
 */
export async function endSessions(
  subject: Subject,
  scope: SignOutScope,
  deps: Pick<Deps, "store">,
): Promise<void> {
  if (scope === "local") return endSession(subject.sid, deps);
  const version = await deps.store.bumpSessionVersion(subject.tenant, subject.email, subject.userId);
  if (scope === "global" || version === undefined) return endSession(subject.sid, deps);
  await deps.store.restampSession(subject.sid, version);
}

/** Whether `session` still belongs to `user` as it is now: same account, same session version. */
export const isCurrentFor = (session: SessionRecord, user: UserRecord | undefined): user is UserRecord =>
  user !== undefined && user.userId === session.userId && user.sessionVersion === session.sessionVersion;

/** Not signed out and not past its lifetime (checked in code: DynamoDB TTL deletion lags). */
export const isLive = (session: SessionRecord, now: number): boolean => !session.revoked && session.expiresAt > toEpochSeconds(now);

/** A rotation by an instance whose clock runs ahead counts as just now. */
const withinGrace = (session: SessionRecord, now: number, graceSeconds: number): boolean =>
  now - (session.rotatedAt ?? Number.NEGATIVE_INFINITY) < graceSeconds * 1000;

function tokenSet(access: { token: string; expiresIn: number }, refreshToken: string, expiresAt: number, now: number): TokenSet {
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken,
    refreshExpiresIn: expiresAt - toEpochSeconds(now),
  };
}
