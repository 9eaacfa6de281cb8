import { createHmac } from "node:crypto";
import type { AccountRef } from "./logger.js";
import type { MacKey } from "./mac-key.js";

/** Domain separation from the refresh tokens made with the same key. */
const LABEL = "log-pseudonym/v1";

/**
 * The account reference for logs: HMAC-SHA-256 of tenant and email, truncated to 128 bits,
 * so failed logins and locks of one account can be correlated across instances while a log
 * reader cannot confirm a guessed email by hashing it (OWASP ASVS 7.1.1). Its key is
 * derived once per cold start from `key` (the KMS HMAC key: one call, then local HMAC).
 * Never throws: a log line must not turn a refusal into an outage.
 */
export function accountRefUnder(key: MacKey): AccountRef {
  let derived: Promise<Buffer> | undefined;
  return async (tenant, email) => {
    try {
      derived ??= key.mac(LABEL);
      const pseudonymKey = await derived;
      return createHmac("sha256", pseudonymKey).update(`${tenant}\u0000${email}`).digest().subarray(0, 16).toString("base64url");
    } catch {
      derived = undefined;
      return "unavailable";
    }
  };
}
