/** POST /auth/mfa/totp (strict): starts a TOTP enrolment; returns the secret, its otpauth URI and a QR code of it. */
import { enrolTotp } from "./lib/domain/mfa-enrolment.js";
import { subjectOf } from "./lib/http/authorizer-context.js";
import { httpHandler } from "./lib/http/error-response.js";
import { json } from "./lib/http/event.js";
import { qrSvgDataUri } from "./lib/http/qr-code.js";
import { loadConfig, loadMfaSettings } from "./lib/runtime/config.js";
import { createLogger } from "./lib/runtime/logger.js";
import { mfaDeps } from "./lib/runtime/mfa-deps.js";

const logger = createLogger("mfa-enrol", process.env.LOG_LEVEL);
const deps = { ...mfaDeps(process.env), mfaSettings: loadMfaSettings(process.env, loadConfig(process.env)) };

export const handler = httpHandler(logger, async (event) => {
  const { secret, otpauthUri } = await enrolTotp(subjectOf(event), deps);
  // The secret is a credential: no cache may keep it (RFC 6749 §5.1 asks the same of tokens).
  return json(200, { secret, otpauth_uri: otpauthUri, qr_svg: qrSvgDataUri(otpauthUri) }, { "cache-control": "no-store" });
});
