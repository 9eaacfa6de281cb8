/** POST /auth/mfa/recovery-codes (strict): new recovery codes after a current code or the password; the old ones stop working. */
import { regenerateRecoveryCodes } from "./lib/domain/mfa-enrolment.js";
import { readReauthentication } from "./lib/domain/mfa-proofs.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mfaDeps } from "./lib/runtime/mfa-deps.js";
import { passwordCheckDeps } from "./lib/runtime/password-check-deps.js";

const logger = createLogger("mfa-recovery-codes", process.env.LOG_LEVEL);
const deps = { ...passwordCheckDeps(process.env, logger), ...mfaDeps(process.env) };

export const handler = httpHandler(logger, async (event) => {
  const codes = await regenerateRecoveryCodes(subjectOf(event), readReauthentication(jsonBody(event)), sourceAddress(event), deps);
  return json(200, { recovery_codes: codes }, { "cache-control": "no-store" });
});
