/**
 * Static files for the local runtime: the demo app (local/demo/) at `/`, and at the two
 * pages the mail links open (`/verify-email`, `/reset-password`, from APP_URL, which is the
 * runtime's own URL locally). The gateway asks here only when no API route matched, so API
 * routes keep precedence.
 */
import { lstat, readFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { ROOT } from "../bundle/bundler.js";

export interface StaticAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Answers a GET or HEAD for a static file, or undefined when there is none (the gateway's 404). */
export type StaticFiles = (method: string, path: string) => Promise<StaticAnswer | undefined>;

/** The demo app's folder. */
export const DEMO_DIR = join(ROOT, "local", "demo");

/** Paths that serve the app's page: its root and the pages the mail links open. */
const PAGES: Readonly<Record<string, string>> = { "/": "index.html", "/verify-email": "index.html", "/reset-password": "index.html" };

/** Only these types are served; any other file (a dotfile, a backup) is not found. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * One plain file name directly under the root, checked on the raw (still percent-encoded)
 * path: no second slash, no `%` and no leading dot, so `..`, `%2e%2e`, `%2f`, `\` and NUL
 * cannot name anything outside the folder.
 */
const FILE_PATH = /^\/[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)+$/;

/**
 * The page's Content-Security-Policy (OWASP ASVS 14.4.3): scripts and styles only from
 * files on this origin (no inline script, no eval), requests only to this origin, no
 * framing (clickjacking), and no native form submission, so a form can never put a
 * password in a URL even if a script fails to load. Images may be data URIs: the MFA
 * enrolment's QR code arrives as one, and an image runs no script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Serves the files directly under `root`; files are read per request, so edits show on reload. */
export function staticFiles(root: string = DEMO_DIR): StaticFiles {
  const folder = resolve(root);
  return async (method, path) => {
    if (method !== "GET" && method !== "HEAD") return undefined;
    const name = PAGES[path] ?? (FILE_PATH.test(path) ? path.slice(1) : undefined);
    const type = name && CONTENT_TYPES[extname(name).toLowerCase()];
    if (!name || !type) return undefined;
    const file = join(folder, name);
    // A regular file only: a symbolic link could point outside the folder.
    const stats = await lstat(file).catch(() => undefined);
    if (!stats?.isFile()) return undefined;
    const body = await readFile(file);
    return {
      status: 200,
      headers: {
        "content-type": type,
        // Pages carry single-use tokens in their URL and show account data: never cached.
        // Scripts and styles are revalidated so an edit shows on the next load.
        "cache-control": type.startsWith("text/html") ? "no-store" : "no-cache",
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        // The verify and reset links carry a token in the query: never send it on as a Referer.
        "referrer-policy": "no-referrer",
      },
      body,
    };
  };
}
