import type { AccessClaims } from "../domain/access-token.js";
import { ConfigError } from "../domain/errors.js";
import { keyFromSpki, verificationKey, type VerificationKey } from "../domain/keys.js";
import { verifyAccessToken } from "../domain/verify-access-token.js";
import { list, loadConfig, type Env } from "./config.js";

/**
 * Reads `JWT_PUBLIC_KEYS`: comma-separated base64 DER SPKI public keys, every key the
 * environment accepts (rotation keeps the old one listed until its tokens expire).
 */
export function loadVerificationKeys(env: Env): VerificationKey[] {
  return list(env, "JWT_PUBLIC_KEYS").map((item, index) => {
    try {
      return verificationKey(keyFromSpki(item));
    } catch (error) {
      throw new ConfigError("JWT_PUBLIC_KEYS", `entry ${index + 1} is not a supported base64 DER public key (${(error as Error).message})`);
    }
  });
}

/**
 * The authorizer's access-token check, configured once per cold start: the keys, the issuer,
 * the tenants as audiences, the leeway and the longest lifetime this environment issues.
 * Throws TokenRejectedError with the reason.
 */
export function accessTokenVerifierFromEnv(env: Env): (token: string, now: number) => AccessClaims {
  const config = loadConfig(env);
  const keys = loadVerificationKeys(env);
  return (token, now) =>
    verifyAccessToken(token, {
      keys,
      issuer: config.issuer,
      audiences: config.tenants,
      clockToleranceSeconds: config.clockToleranceSeconds,
      maxLifetimeSeconds: config.accessTokenTtlSeconds,
      now,
    });
}
