/** GET /.well-known/jwks.json: the public keys (RFC 7517) other services verify tokens with. */
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { loadVerificationKeys } from "./lib/runtime/keys-from-env.js";
import { createLogger } from "./lib/runtime/logger.js";

const logger = createLogger("jwks", process.env.LOG_LEVEL);
const body = { keys: loadVerificationKeys(process.env).map((key) => key.jwk) };

// Public and identical for every caller: let clients and CDNs cache it for five minutes.
export const handler = httpHandler(logger, async () => json(200, body, { "cache-control": "public, max-age=300" }));
