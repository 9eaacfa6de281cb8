/** POST /auth/mfa/verify: the second step of a sign-in; a challenge and a code (or recovery code) for the tokens. */
import { AMR_PASSWORD_AND_OTP, completeMfaSignIn, readMfaVerification } from "./lib/domain/mfa-sign-in.js";
import { startSession } from "./lib/domain/sessions.js";
import { httpHandler } from "./lib/http/error-response.js";
import { jsonBody } from "./lib/http/json-body.js";
import { clientOf, sourceAddress } from "./lib/http/source-address.js";
import { tokenResponse } from "./lib/http/token-response.js";
import { loadConfig, loadCookieSettings, loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { macKeyFromEnv } from "./lib/runtime/mac-key-from-env.js";
import { mfaDeps } from "./lib/runtime/mfa-deps.js";
import { signerFromEnv } from "./lib/runtime/signer-from-env.js";
import { countersFromEnv } from "./lib/runtime/store-from-env.js";
import { accountRefUnder } from "./lib/domain/account-ref.js";

const config = loadConfig(process.env);
const logger = createLogger("mfa-verify", process.env.LOG_LEVEL);
const signer = signerFromEnv(process.env);
const refreshCookie = loadCookieSettings(process.env);
const refreshKey = macKeyFromEnv(process.env);
const deps = {
  ...mfaDeps(process.env),
  config,
  logger,
  counters: countersFromEnv(process.env),
  limits: loadLimits(process.env),
  refreshKey,
  accountRef: accountRefUnder(refreshKey),
};

export const handler = httpHandler(logger, async (event) => {
  const user = await completeMfaSignIn(readMfaVerification(jsonBody(event)), sourceAddress(event), deps);
  return tokenResponse(await startSession(user, { ...deps, signer: await signer() }, clientOf(event), AMR_PASSWORD_AND_OTP), refreshCookie);
});
