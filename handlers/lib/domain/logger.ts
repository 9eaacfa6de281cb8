/**
 * Port: structured logs. Callers pass facts, never secrets: no passwords, tokens, hashes
 * or request bodies are ever given to the logger.
 */
export type Level = "debug" | "info" | "warn" | "error";
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

/**
 * A keyed hash naming an account (tenant + email) in logs, so failed logins can be
 * correlated without writing the email anywhere.
 */
export type AccountRef = (tenant: string, email: string) => Promise<string>;
