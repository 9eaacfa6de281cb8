import type { Config } from "../../handlers/lib/domain/config.js";
import { createLogger } from "../../handlers/lib/runtime/logger.js";
import { type Logger } from "../../handlers/lib/domain/logger.js";

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  issuer: "https://auth.test",
  tenants: ["default", "acme"],
  defaultTenant: "default",
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
  refreshReuseGraceSeconds: 10,
  passwordMinLength: 12,
  clockToleranceSeconds: 60,
  ...overrides,
});

/** A logger that records lines, so tests can assert what was (not) logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger("test", "debug", (line) => lines.push(line)), { lines });
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, { advance: (ms: number) => (now += ms) });
}
