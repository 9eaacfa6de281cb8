import { createHmac, randomBytes } from "node:crypto";
import type { AccountRef } from "../domain/logger.js";
import type { Env } from "./config.js";

/**
 * The account reference for logs: HMAC-SHA256 of tenant and email, truncated to 128 bits.
 * Keyed, so a log reader cannot confirm a guessed email by hashing it. For now the key is
 * random per cold start: references correlate within one instance only, until the key is
 * derived from KMS.
 */
export function accountRefFromEnv(_env: Env): AccountRef {
  const key = randomBytes(32);
  return async (tenant, email) => createHmac("sha256", key).update(`${tenant}\u0000${email}`).digest().subarray(0, 16).toString("base64url");
}
