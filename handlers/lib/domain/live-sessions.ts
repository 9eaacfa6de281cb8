import type { Subject } from "./access-token.js";
import type { Deps } from "./deps.js";
import { InvalidTokenError, NotFoundError } from "./errors.js";
import { isCurrentFor, isLive } from "./sessions.js";
import type { SessionRecord, UserRecord } from "./store.js";

type LiveDeps = Pick<Deps, "store" | "clock">;

/** One entry of `GET /auth/sessions`: what a user needs to recognise a device, never a token. */
export interface SessionView {
  sid: string;
  created_at: string;
  last_used_at: string;
  user_agent: string;
  source_ip: string;
  current: boolean;
}

const ENDED = "this session has ended; sign in again";

/** Live, and still current for its user as the user item stands now. */
const isLiveFor = (session: SessionRecord, user: UserRecord | undefined, now: number): boolean => isLive(session, now) && isCurrentFor(session, user);

/**
 * What a strict route adds to the authorizer's stateless check: the session the access
 * token names is still live (not signed out, not expired, not outdated by a password
 * change or a sign-out everywhere, its account not deleted), in one read. A sign-out thus
 * takes effect at once on strict routes, while bearer routes keep zero I/O per request.
 */
export async function requireLiveSession(subject: Subject, deps: LiveDeps): Promise<{ session: SessionRecord; user: UserRecord }> {
  const { session, user } = await deps.store.getSessionWithOwner(subject.sid, subject.tenant, subject.email);
  if (!session || session.userId !== subject.userId || !user || !isLiveFor(session, user, deps.clock())) throw new InvalidTokenError(ENDED);
  return { session, user };
}

/** The user's live sessions, most recently used first, the caller's own marked `current`. */
export async function listLiveSessions(subject: Subject, deps: LiveDeps): Promise<SessionView[]> {
  const { user } = await requireLiveSession(subject, deps);
  const now = deps.clock();
  const sessions = (await deps.store.listSessions(subject.userId)).filter((session) => isLiveFor(session, user, now));
  return sessions
    .map((session) => ({
      sid: session.sid,
      created_at: session.createdAt,
      last_used_at: session.rotatedAt === undefined ? session.createdAt : new Date(session.rotatedAt).toISOString(),
      user_agent: session.client?.userAgent ?? "",
      source_ip: session.client?.sourceIp ?? "",
      current: session.sid === subject.sid,
    }))
    .sort((a, b) => b.last_used_at.localeCompare(a.last_used_at));
}

/**
 * Ends one of the user's sessions. Another user's session, or one that does not exist, is
 * the same 404: the answer reveals nothing about other users' sessions.
 */
export async function endOwnSession(subject: Subject, sid: string, deps: LiveDeps): Promise<void> {
  await requireLiveSession(subject, deps);
  const target = await deps.store.getSession(sid);
  if (!target || target.userId !== subject.userId) throw new NotFoundError("no such session");
  await deps.store.revokeSession(sid);
}
