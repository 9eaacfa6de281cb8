import type { Config } from "../../handlers/lib/domain/config.js";
import { readCredentials, type Credentials } from "../../handlers/lib/domain/credentials.js";
import { readNewCredentials } from "../../handlers/lib/domain/new-password.js";

/** How each handler reads credentials: register with the new-password policy, login without. */
export const readFor = (purpose: "register" | "login"): ((body: Record<string, unknown>, config: Config) => Credentials) =>
  purpose === "register" ? readNewCredentials : readCredentials;
