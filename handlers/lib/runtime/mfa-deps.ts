import { systemClock } from "../domain/clock.js";
import type { Env } from "./config.js";
import { secretBoxFromEnv } from "./secret-box-from-env.js";
import { mfaFromEnv, storeFromEnv } from "./store-from-env.js";

/** What every MFA function needs, made once per cold start: the store, the MFA state and challenges, the secret box. */
export function mfaDeps(env: Env) {
  return { store: storeFromEnv(env), mfa: mfaFromEnv(env), secretBox: secretBoxFromEnv(env), clock: systemClock };
}
