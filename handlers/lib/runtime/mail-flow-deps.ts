import { systemClock, systemSleep } from "../domain/clock.js";
import type { Logger } from "../domain/logger.js";
import { loadConfig, type Env } from "./config.js";
import { mailerFromEnv } from "./mailer-from-env.js";
import { countersFromEnv, emailTokensFromEnv, storeFromEnv } from "./store-from-env.js";

/**
 * What every function that mails an account needs, made once per cold start: the store, the
 * counters, the email tokens and the mailer (register, verification resend, forgotten and reset
 * password). The functions that enforce limits add `loadLimits` themselves: the manifest gives
 * only them the LOCKOUT_* and SOURCE_* variables (abuseLimits).
 */
export function mailFlowDeps(env: Env, logger: Logger) {
  const { mailer, settings } = mailerFromEnv(env);
  return {
    logger,
    config: loadConfig(env),
    store: storeFromEnv(env),
    counters: countersFromEnv(env),
    emailTokens: emailTokensFromEnv(env),
    mailer,
    mailSettings: settings,
    clock: systemClock,
    sleep: systemSleep,
  };
}
