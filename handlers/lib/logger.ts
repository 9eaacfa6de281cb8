/**
 * Structured JSON logs, one line each. Callers pass facts, never secrets: no passwords,
 * tokens, hashes or request bodies are ever given to the logger.
 */
export type Level = "debug" | "info" | "warn" | "error";
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(service: string, level: string | undefined = "info", write = (line: string) => console.log(line)): Logger {
  const threshold = ORDER[(level as Level) in ORDER ? (level as Level) : "info"];
  const emit = (lvl: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), service, message, ...fields }));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** What the log may say about an error: its class and message, plus the cause chain's. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return {
    error: error.name,
    detail: error.message,
    ...(error.cause !== undefined ? { cause: describeError(error.cause) } : {}),
  };
}
