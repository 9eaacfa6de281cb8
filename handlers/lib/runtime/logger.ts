/** Structured JSON logs, one line each, to stdout (CloudWatch Logs in Lambda). */
import type { Level, Logger } from "../domain/logger.js";

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(service: string, level: string | undefined = "info", write = (line: string) => console.log(line)): Logger {
  const threshold = ORDER[(level as Level) in ORDER ? (level as Level) : "info"];
  const emit = (lvl: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), service, message, ...fields }));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
