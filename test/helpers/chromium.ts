/**
 * The browser for the browser test: Debian's `chromium` package (playwright's own browser
 * download cannot run here), or a Chrome or Chromium named by CHROMIUM_PATH.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where a browser is looked for, in order; GitHub's Ubuntu runners ship Google Chrome. */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/google-chrome-stable", "/usr/bin/google-chrome"] as const;

/** What to do when none is found, in one line. */
export const INSTALL_CHROMIUM =
  "Chromium not found: install it with `sudo apt-get update && sudo apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chrome or Chromium binary";

/** CI sets CI (GitHub: "true"): there a missing browser fails instead of leaving the test pending. */
export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean => !!env.CI && !/^(0|false)$/i.test(env.CI);

/** The browser binary, or undefined when there is none (CHROMIUM_PATH, when set, is the only place looked at). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  return candidates.find((path) => existsSync(path));
}

/** Headless, bounded start; playwright runs it without the setuid sandbox, so it starts as root too. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, timeout: 30_000 });
}
