import { randomUUID } from "node:crypto";
import { base64url } from "./base64url.js";
import type { Config } from "./config.js";
import { toEpochSeconds } from "./clock.js";
import type { Signer } from "./signer.js";

/** RFC 9068 media type for JWT access tokens; the authorizer refuses other `typ`s (e.g. an ID token). */
export const ACCESS_TOKEN_TYPE = "at+jwt";

/** Claims of an access token (RFC 9068 §2.2 plus `email`, `email_verified` and `sid`). */
export interface AccessClaims {
  iss: string;
  /** The tenant: a token for one tenant is not accepted by another. */
  aud: string;
  sub: string;
  email: string;
  /**
   * OpenID Connect Core §5.1's claim: true once the owner proved the address. Without it an
   * `email` claim says only what someone typed at register.
   */
  email_verified: boolean;
  sid: string;
  /** How the sign-in was authenticated (RFC 8176 §2): `["pwd"]`, or `["pwd", "otp"]` after a second factor. */
  amr: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

export interface Subject {
  userId: string;
  email: string;
  tenant: string;
  sid: string;
}

/** Whom an access token is signed for: the subject, what is known of its email, and how it signed in (default `["pwd"]`). */
export type TokenSubject = Subject & { emailVerified: boolean; amr?: readonly string[] };

/** Signs an access token for `subject` with the signer's key; lifetime from config. */
export async function issueAccessToken(
  subject: TokenSubject,
  deps: { signer: Signer; config: Config; now: number },
): Promise<{ token: string; expiresIn: number }> {
  const { signer, config } = deps;
  const iat = toEpochSeconds(deps.now);
  const claims: AccessClaims = {
    iss: config.issuer,
    aud: subject.tenant,
    sub: subject.userId,
    email: subject.email,
    email_verified: subject.emailVerified,
    sid: subject.sid,
    amr: [...(subject.amr ?? ["pwd"])],
    iat,
    nbf: iat,
    exp: iat + config.accessTokenTtlSeconds,
    jti: randomUUID(),
  };
  const header = { alg: signer.alg, typ: ACCESS_TOKEN_TYPE, kid: signer.kid };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = await signer.sign(Buffer.from(signingInput));
  return { token: `${signingInput}.${base64url(signature)}`, expiresIn: config.accessTokenTtlSeconds };
}
