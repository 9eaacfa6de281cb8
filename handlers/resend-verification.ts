/** POST /auth/verify-email/resend {email, tenant?}: always 202; mails a new link to an unverified account. */
import { readAccount } from "./lib/domain/credentials.js";
import { resendVerification } from "./lib/domain/mail-requests.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mailFlowDeps } from "./lib/runtime/mail-flow-deps.js";

const logger = createLogger("resend-verification", process.env.LOG_LEVEL);
const deps = { ...mailFlowDeps(process.env, logger), limits: loadLimits(process.env) };

export const handler = httpHandler(logger, async (event) => {
  const account = readAccount(jsonBody(event), deps.config);
  await resendVerification(account, sourceAddress(event), deps);
  return json(202, { email: account.email });
});
