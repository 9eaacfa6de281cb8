import type { Config, Limits } from "../../handlers/lib/domain/config.js";
import { loadLimits } from "../../handlers/lib/runtime/config.js";
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
  emailVerificationTtlSeconds: 86_400,
  passwordResetTtlSeconds: 1800,
  requireEmailVerification: false,
  ...overrides,
});

/** The default abuse limits, as runtime/config.ts reads them from an empty env (test/config.test.ts writes them out). */
export const testLimits = (overrides: Partial<Limits> = {}): Limits => ({ ...loadLimits({}), ...overrides });

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
