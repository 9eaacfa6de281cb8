/** DELETE /me (strict): deletes the account after its password; every session ends. */
import { deleteAccount } from "./lib/domain/account-changes.js";
import { readPassword } from "./lib/domain/credentials.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { jsonBody } from "./lib/http/json-body.js";
import { sourceAddress } from "./lib/http/source-address.js";
import { clearedSession } from "./lib/http/token-response.js";
import { loadCookieSettings } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { passwordCheckDeps } from "./lib/runtime/password-check-deps.js";
import { emailTokensFromEnv } from "./lib/runtime/store-from-env.js";

const logger = createLogger("delete-account", process.env.LOG_LEVEL);
const deps = { ...passwordCheckDeps(process.env, logger), emailTokens: emailTokensFromEnv(process.env) };
const refreshCookie = loadCookieSettings(process.env);

export const handler = httpHandler(logger, async (event) => {
  await deleteAccount(subjectOf(event), readPassword(jsonBody(event), "password"), sourceAddress(event), deps);
  return clearedSession(refreshCookie);
});
