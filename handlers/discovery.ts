/**
 * GET /.well-known/openid-configuration and GET /.well-known/oauth-authorization-server: the
 * authorization server metadata (OpenID Connect Discovery 1.0 §4, RFC 8414 §3), one document
 * at both paths, built once per cold start.
 */
import { discoveryDocument } from "./lib/domain/discovery.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { loadConfig } from "./lib/runtime/config.js";
import { loadVerificationKeys } from "./lib/runtime/keys-from-env.js";
import { createLogger } from "./lib/runtime/logger.js";
import { routes, type HandlerName } from "./routes.js";

const logger = createLogger("discovery", process.env.LOG_LEVEL);

/** The path a handler is served at (the first under `prefix`): URLs follow the route table. */
function pathOf(handler: HandlerName, prefix = "/"): string {
  const route = routes.find((candidate) => candidate.handler === handler && candidate.path.startsWith(prefix));
  if (!route) throw new Error(`no route for ${handler} under ${prefix}`);
  return route.path;
}

const body = discoveryDocument(loadConfig(process.env).issuer, loadVerificationKeys(process.env), {
  jwks: pathOf("jwks"),
  token: pathOf("oauth-token"),
  revocation: pathOf("oauth-revoke", "/oauth/"),
});

// Public, and it changes only with a deploy (issuer, keys' algorithms): an hour of caching
// bounds how long a client keeps an old one after a change of domain or algorithm.
export const handler = httpHandler(logger, async () => json(200, body, { "cache-control": "public, max-age=3600" }));
