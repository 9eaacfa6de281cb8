import type { Clock, Sleep } from "./clock.js";
import type { Config, Limits } from "./config.js";
import type { CounterStore } from "./counters.js";
import type { EmailTokenStore } from "./email-token-store.js";
import type { AccountRef, Logger } from "./logger.js";
import type { MacKey } from "./mac-key.js";
import type { Mailer, MailSettings } from "./mailer.js";
import type { PasswordHasher } from "./passwords.js";
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
}
