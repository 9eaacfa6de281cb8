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
  /** Longest `exp - iat` accepted: the access token lifetime this environment issues. */
  maxLifetimeSeconds: number;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Upper bound on a token's length: a real one is under 1 KB, this stops parsing junk. */
const MAX_TOKEN_LENGTH = 4096;

/** The base64url alphabet, unpadded (RFC 7515 §2). */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Header parameters this service never sets and refuses: `crit` names extensions a
 * recipient must understand, and it understands none (RFC 7515 §4.1.11); `jku`, `x5u`,
 * `jwk` and `x5c` let a token name or carry its own key, which is trusting the attacker
 * (RFC 8725 §3.10). Keys come from configuration only.
 */
const FORBIDDEN_HEADERS = ["crit", "jku", "x5u", "jwk", "x5c"] as const;

/**
 * Verifies an access token offline. The key is chosen by `kid` among the configured keys
 * and the algorithm comes from that key, never from the header (RFC 8725 §3.1).
 * Checks the compact form, signature, `typ` (RFC 9068 §4), `iss`, `aud`, `exp`/`nbf`/`iat`
 * with bounded leeway, the lifetime, and the presence of every claim the service relies on.
 */
export function verifyAccessToken(token: string, options: VerifyOptions): AccessClaims {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError("token too long");
  const segments = token.split(".");
  if (segments.length !== 3) throw new TokenRejectedError("not a compact JWS");
  if (!segments.every((segment) => BASE64URL.test(segment))) throw new TokenRejectedError("not base64url");
  const signature = segments[2];
  if (signature === "") throw new TokenRejectedError("signature missing");
  // The signature covers the header and payload text but not its own spelling: a second
  // spelling of the same bytes (other padding bits) would be a second valid token.
  if (Buffer.from(signature, "base64url").toString("base64url") !== signature) {
    throw new TokenRejectedError("signature not canonical base64url");
  }
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === "string") throw new TokenRejectedError("not a JWT");
  const header = decoded.header as unknown as Record<string, unknown>;
  const forbidden = FORBIDDEN_HEADERS.find((name) => Object.hasOwn(header, name));
  if (forbidden) throw new TokenRejectedError(`header ${forbidden} not allowed`);
  const { kid, typ } = header;
  if (typeof typ !== "string" || typ.toLowerCase() !== ACCESS_TOKEN_TYPE) {
    throw new TokenRejectedError(`typ ${String(typ)} is not ${ACCESS_TOKEN_TYPE}`);
  }
  const key = options.keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new TokenRejectedError(`unknown kid ${String(kid).slice(0, 64)}`);

  const now = Math.floor(options.now / 1000);
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, key.key, {
      algorithms: [key.alg],
      issuer: options.issuer,
      audience: [...options.audiences] as [string, ...string[]],
      clockTolerance: options.clockToleranceSeconds,
      clockTimestamp: now,
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
  // Absent in tokens minted before the claim existed (they expire within one access-token lifetime): false.
  if (claims.email_verified === undefined) claims.email_verified = false;
  if (typeof claims.email_verified !== "boolean") throw new TokenRejectedError("claim email_verified must be a boolean");
  // Absent in tokens minted before MFA existed: a password sign-in (RFC 8176 §2).
  if (claims.amr === undefined) claims.amr = ["pwd"];
  if (!Array.isArray(claims.amr) || !claims.amr.every((method: unknown) => typeof method === "string" && /^[a-z]+$/.test(method))) {
    throw new TokenRejectedError("claim amr must be an array of method names");
  }
  const { iat, exp } = claims as AccessClaims;
  // A token from the future (RFC 7519 §4.1.6) was minted with a wrong clock or by someone else: do not trust it (RFC 8725 §3.10).
  if (iat > now + options.clockToleranceSeconds) throw new TokenRejectedError("iat in the future");
  // The issuer never signs a longer lifetime, so a longer one is not ours to honour.
  if (exp - iat > options.maxLifetimeSeconds) {
    throw new TokenRejectedError(`lifetime ${exp - iat} s above ${options.maxLifetimeSeconds} s`);
  }
  return claims as AccessClaims;
}
