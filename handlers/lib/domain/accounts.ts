import { randomUUID } from "node:crypto";
import type { Credentials } from "./credentials.js";
import type { Deps } from "./deps.js";
import { InvalidGrantError, InvalidTokenError } from "./errors.js";
import type { UserRecord } from "./store.js";

/** What a client may see of an account: never the hash or the lockout state. */
export interface Profile {
  user_id: string;
  email: string;
  email_verified: boolean;
  tenant: string;
  created_at: string;
  /** The TOTP second factor is on (confirmed). */
  mfa_enabled: boolean;
}

/** Creates an account; `UserExistsError` if the email is taken in the tenant. */
export async function register(
  credentials: Credentials,
  deps: Pick<Deps, "store" | "hasher" | "clock">,
): Promise<UserRecord> {
  const user: UserRecord = {
    userId: randomUUID(),
    tenant: credentials.tenant,
    email: credentials.email,
    passwordHash: await deps.hasher.hash(credentials.password),
    createdAt: new Date(deps.clock()).toISOString(),
    sessionVersion: 0,
    emailVerified: false,
  };
  await deps.store.createUser(user);
  return user;
}

/**
 * Checks a password. Unknown email and wrong password fail the same way, after the
 * same argon2id work, so neither the answer nor its timing reveals who has an account.
 */
export async function authenticate(
  credentials: Credentials,
  deps: Pick<Deps, "store" | "hasher">,
): Promise<UserRecord> {
  const user = await deps.store.getUser(credentials.tenant, credentials.email);
  if (!user) {
    await deps.hasher.verifyDummy(credentials.password);
    throw new InvalidGrantError("the email or password is incorrect");
  }
  if (!(await deps.hasher.verify(user.passwordHash, credentials.password))) {
    throw new InvalidGrantError("the email or password is incorrect");
  }
  return user;
}

/** The profile of the account an access token names (checked by `sub`, so a re-created account is not the old one). */
export async function profile(
  subject: { tenant: string; email: string; userId: string },
  deps: Pick<Deps, "store">,
): Promise<Profile> {
  const user = await deps.store.getUser(subject.tenant, subject.email);
  if (!user || user.userId !== subject.userId) throw new InvalidTokenError("the account for this token no longer exists");
  return toProfile(user);
}

export const toProfile = (user: UserRecord): Profile => ({
  user_id: user.userId,
  email: user.email,
  email_verified: user.emailVerified,
  tenant: user.tenant,
  created_at: user.createdAt,
  mfa_enabled: user.mfa?.secret !== undefined,
});
