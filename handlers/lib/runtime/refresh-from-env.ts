import { systemClock } from "../domain/clock.js";
import type { Logger } from "../domain/logger.js";
import { refreshSession, type TokenSet } from "../domain/sessions.js";
import { limitFailures } from "../domain/source-limits.js";
import type { ClientInfo } from "../domain/store.js";
import { loadConfig, loadLimits, type Env } from "./config.js";
import { macKeyFromEnv } from "./mac-key-from-env.js";
import { signerFromEnv } from "./signer-from-env.js";
import { countersFromEnv, storeFromEnv } from "./store-from-env.js";

/** Rotates a presented refresh token for a client at `address`. */
export type Refresh = (presented: string, address: string, client: ClientInfo) => Promise<TokenSet>;

/**
 * The refresh grant, wired once per cold start, for both POST /auth/refresh and
 * POST /oauth/token: one session rule set (rotation, grace, reuse) and one per-source
 * failure limit, whichever door the token comes through.
 */
export function refreshFromEnv(env: Env, logger: Logger): Refresh {
  const signer = signerFromEnv(env);
  const deps = {
    config: loadConfig(env),
    logger,
    store: storeFromEnv(env),
    counters: countersFromEnv(env),
    limits: loadLimits(env),
    refreshKey: macKeyFromEnv(env),
    clock: systemClock,
  };
  // Failed refreshes count against the address like failed logins; successful ones do not.
  return (presented, address, client) =>
    limitFailures(address, deps, async () => refreshSession(presented, { ...deps, signer: await signer() }, client));
}
