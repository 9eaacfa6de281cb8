import type { Clock, Sleep } from "./clock.js";
import type { Config, Limits } from "./config.js";
import type { CounterStore } from "./counters.js";
import type { EmailTokenStore } from "./email-token-store.js";
import type { AccountRef, Logger } from "./logger.js";
import type { MacKey } from "./mac-key.js";
import type { Mailer, MailSettings } from "./mailer.js";
import type { MfaStore } from "./mfa-store.js";
import type { PasswordHasher } from "./passwords.js";
import type { SecretBox } from "./secret-box.js";
import type { Signer } from "./signer.js";
import type { AuthStore } from "./store.js";

/**
 * Everything the domain needs from outside, made once per cold start. Use cases take
 * the `Pick` they use, so tests build them from local parts and bundles carry only
 * the adapters their handler needs.
 */
export interface Deps {
  config: Config;
  store: AuthStore;
  signer: Signer;
  /** Keys the refresh tokens' MACs. */
  refreshKey: MacKey;
  hasher: PasswordHasher;
  clock: Clock;
  logger: Logger;
  counters: CounterStore;
  limits: Limits;
  accountRef: AccountRef;
  /** Pending single-use email tokens (verification, password reset). */
  emailTokens: EmailTokenStore;
  mailer: Mailer;
  mailSettings: MailSettings;
  /** Pads mail requests to an even duration (`noSoonerThan`). */
  sleep: Sleep;
  /** Seals the TOTP secrets stored on user items. */
  secretBox: SecretBox;
  /** The second factor's state and sign-in challenges. */
  mfa: MfaStore;
  mfaSettings: MfaSettings;
}

/** What enrolment names in the `otpauth://` URI: the issuer label authenticator apps show. */
export interface MfaSettings {
  issuer: string;
}
