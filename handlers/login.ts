/**
 * POST /auth/login: checks a password, within the brute-force limits, and opens a session; for
 * an account with MFA, answers with a challenge instead (POST /auth/mfa/verify completes it).
 */
import { readCredentials } from "./lib/domain/credentials.js";
import { requireVerifiedEmail } from "./lib/domain/email-verification.js";
import { attemptLogin } from "./lib/domain/login-attempt.js";
import { startMfaChallenge } from "./lib/domain/mfa-sign-in.js";
import { startSession } from "./lib/domain/sessions.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { clientOf, sourceAddress } from "./lib/http/source-address.js";
import { tokenResponse } from "./lib/http/token-response.js";
import { loadConfig, loadCookieSettings } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { passwordCheckDeps } from "./lib/runtime/password-check-deps.js";
import { signerFromEnv } from "./lib/runtime/signer-from-env.js";
import { mfaFromEnv } from "./lib/runtime/store-from-env.js";

const config = loadConfig(process.env);
const logger = createLogger("login", process.env.LOG_LEVEL);
const signer = signerFromEnv(process.env);
const deps = { ...passwordCheckDeps(process.env, logger), mfa: mfaFromEnv(process.env) };
const refreshCookie = loadCookieSettings(process.env);

export const handler = httpHandler(logger, async (event) => {
  const user = await attemptLogin(readCredentials(jsonBody(event), config), sourceAddress(event), deps);
  requireVerifiedEmail(user, config);
  if (user.mfa?.secret) {
    const { mfaToken, expiresIn } = await startMfaChallenge(user, deps);
    return json(200, { mfa_required: true, mfa_token: mfaToken, mfa_token_expires_in: expiresIn }, { "cache-control": "no-store" });
  }
  return tokenResponse(await startSession(user, { ...deps, config, signer: await signer() }, clientOf(event)), refreshCookie);
});
