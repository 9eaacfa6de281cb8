/**
 * Port: structured logs. Callers pass facts, never secrets: no passwords, tokens, hashes
 * or request bodies are ever given to the logger.
 */
export type Level = "debug" | "info" | "warn" | "error";
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;
