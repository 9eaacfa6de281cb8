import jwt from "jsonwebtoken";
import { ACCESS_TOKEN_TYPE, type AccessClaims } from "./access-token.js";
import type { VerificationKey } from "./keys.js";

/** Why a token was refused: for the log, never for the client. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`access token rejected: ${reason}`);
    this.name = "TokenRejectedError";
  }
}

export interface VerifyOptions {
  keys: readonly VerificationKey[];
  issuer: string;
  /** Accepted audiences: the tenants of this deployment. */
  audiences: readonly string[];
  clockToleranceSeconds: number;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Upper bound on a token's length: a real one is under 1 KB, this stops parsing junk. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Verifies an access token offline. The key is chosen by `kid` among the configured keys
 * and the algorithm comes from that key, never from the header (RFC 8725 §3.1).
 * Checks signature, `typ` (RFC 9068 §4), `iss`, `aud`, `exp`/`nbf` with bounded leeway,
 * and the presence of every claim the service relies on.
 */
export function verifyAccessToken(token: string, options: VerifyOptions): AccessClaims {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError("token too long");
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === "string") throw new TokenRejectedError("not a JWT");
  const { kid, typ } = decoded.header;
  if (typeof typ !== "string" || typ.toLowerCase() !== ACCESS_TOKEN_TYPE) {
    throw new TokenRejectedError(`typ ${String(typ)} is not ${ACCESS_TOKEN_TYPE}`);
  }
  const key = options.keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new TokenRejectedError(`unknown kid ${String(kid).slice(0, 64)}`);

  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, key.key, {
      algorithms: [key.alg],
      issuer: options.issuer,
      audience: [...options.audiences] as [string, ...string[]],
      clockTolerance: options.clockToleranceSeconds,
      clockTimestamp: Math.floor(options.now / 1000),
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new TokenRejectedError((error as Error).message);
  }
  for (const name of ["sub", "email", "sid", "jti"] as const) {
    if (typeof claims[name] !== "string" || claims[name] === "") throw new TokenRejectedError(`claim ${name} missing`);
  }
  for (const name of ["exp", "iat", "nbf"] as const) {
    if (typeof claims[name] !== "number") throw new TokenRejectedError(`claim ${name} missing`);
  }
  if (typeof claims.aud !== "string") throw new TokenRejectedError("aud must name exactly one tenant");
  return claims as AccessClaims;
}
