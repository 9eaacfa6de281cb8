import { argon2idHasher } from "../adapters/argon2-hasher.js";
import { accountRefUnder } from "../domain/account-ref.js";
import { systemClock } from "../domain/clock.js";
import type { Logger } from "../domain/logger.js";
import { loadLimits, type Env } from "./config.js";
import { macKeyFromEnv } from "./mac-key-from-env.js";
import { countersFromEnv, storeFromEnv } from "./store-from-env.js";

/**
 * What every function that checks a password needs, made once per cold start: the store,
 * the lockout counters and limits, argon2id, and the refresh-token key with the log
 * pseudonym derived from it (login, password change, account deletion).
 */
export function passwordCheckDeps(env: Env, logger: Logger) {
  const refreshKey = macKeyFromEnv(env);
  return {
    logger,
    store: storeFromEnv(env),
    counters: countersFromEnv(env),
    limits: loadLimits(env),
    hasher: argon2idHasher(),
    clock: systemClock,
    refreshKey,
    accountRef: accountRefUnder(refreshKey),
  };
}
