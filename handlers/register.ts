/**
 * POST /auth/register: creates an account, within the per-address sign-up limit, and mails its
 * verification link. Where verification is required, 202 alike for new and taken emails.
 */
import { argon2idHasher } from "./lib/adapters/argon2-hasher.js";
import { toProfile } from "./lib/domain/accounts.js";
import { readNewCredentials } from "./lib/domain/new-password.js";
import { signUp } from "./lib/domain/sign-up.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { loadLimits } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mailFlowDeps } from "./lib/runtime/mail-flow-deps.js";

const logger = createLogger("register", process.env.LOG_LEVEL);
const deps = { ...mailFlowDeps(process.env, logger), limits: loadLimits(process.env), hasher: argon2idHasher() };

export const handler = httpHandler(logger, async (event) => {
  const credentials = readNewCredentials(jsonBody(event), deps.config);
  const user = await signUp(credentials, sourceAddress(event), deps);
  // Where verification is required, nothing here may differ between a new and a taken email.
  if (deps.config.requireEmailVerification) return json(202, { email: credentials.email });
  const { user_id, email } = toProfile(user!);
  return json(201, { user_id, email });
});
