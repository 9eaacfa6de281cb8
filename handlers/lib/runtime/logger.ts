/** Structured JSON logs, one line each, to stdout (CloudWatch Logs in Lambda). */
import type { Level, Logger } from "../domain/logger.js";
import { logLevel } from "./config.js";

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A logger for `service` at `level` (LOG_LEVEL, default info). An unknown level throws a
 * ConfigError naming LOG_LEVEL at cold start, like every other variable.
 */
export function createLogger(service: string, level: string | undefined = "info", write = (line: string) => console.log(line)): Logger {
  const threshold = ORDER[logLevel({ LOG_LEVEL: level })];
  const emit = (lvl: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), service, message, ...fields }));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
