/**
 * POST /oauth/token: the OAuth 2.0 token endpoint (RFC 6749 §3.2) for public clients, with
 * one grant, refresh_token (§6), run by the same rules and per-source limit as /auth/refresh.
 * Form bodies only; errors per §5.2 (400, through the one error mapping); no cookie is read
 * or set (token-response.ts oauthTokenResponse says why).
 */
import { InvalidRequestError, InvalidScopeError, UnsupportedGrantTypeError } from "./lib/domain/errors.js";
import { httpHandler } from "./lib/http/error-response.js";
import { formBody } from "./lib/http/form-body.js";
import { clientOf, sourceAddress } from "./lib/http/source-address.js";
import { oauthTokenResponse } from "./lib/http/token-response.js";
import { createLogger } from "./lib/runtime/logger.js";
import { refreshFromEnv } from "./lib/runtime/refresh-from-env.js";

const logger = createLogger("oauth-token", process.env.LOG_LEVEL);
const refresh = refreshFromEnv(process.env, logger);

export const handler = httpHandler(
  logger,
  async (event) => {
    const form = formBody(event);
    // client_id may be sent and is ignored: every client is public (auth method `none`), and
    // a refresh token is bound to its session, not to a client (RFC 6749 §2.1, §3.2.1).
    const grantType = form.get("grant_type");
    if (!grantType) throw new InvalidRequestError("grant_type is required");
    if (grantType !== "refresh_token") throw new UnsupportedGrantTypeError("grant_type must be refresh_token");
    const refreshToken = form.get("refresh_token");
    if (!refreshToken) throw new InvalidRequestError("refresh_token is required");
    // §6: a scope may only narrow what was granted, and tokens here carry none.
    if (form.get("scope")) throw new InvalidScopeError("scope is not supported: tokens carry no scopes");
    return oauthTokenResponse(await refresh(refreshToken, sourceAddress(event), clientOf(event)));
  },
  { oauthTokenEndpoint: true },
);
