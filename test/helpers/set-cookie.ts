/** A parsed `Set-Cookie` value: name, value and attributes (names lower-cased, flags as `true`). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/**
 * Parses one `Set-Cookie` value as a browser does (RFC 6265 §5.2): the first pair is the
 * cookie, each later `;`-separated part an attribute whose name is case-insensitive.
 * Tests compare the whole attribute set, so a dropped or added attribute fails.
 */
export function parseSetCookie(line: string): SetCookie {
  const [pair, ...parts] = line.split(";");
  const index = pair.indexOf("=");
  if (index <= 0) throw new Error(`not a cookie: ${line}`);
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    const name = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    if (name in attributes) throw new Error(`attribute ${name} repeated in ${line}`);
    attributes[name] = eq < 0 ? true : trimmed.slice(eq + 1).trim();
  }
  return { name: pair.slice(0, index).trim(), value: pair.slice(index + 1).trim(), attributes };
}

/**
 * The refresh cookie's attributes (DESIGN: token response; OWASP ASVS 3.4): HttpOnly
 * (no script reads it), Secure (HTTPS only), SameSite=Strict (no cross-site sends),
 * Path=/auth (never sent to the APIs behind the authorizer). Written out here, not read
 * from the code, so a change to them fails the tests.
 */
export const REFRESH_COOKIE_ATTRIBUTES = { httponly: true, secure: true, samesite: "Strict", path: "/auth" } as const;

/** The expected refresh cookie with `Max-Age`. */
export const refreshCookie = (value: string, maxAge: number): SetCookie => ({
  name: "refresh_token",
  value,
  attributes: { ...REFRESH_COOKIE_ATTRIBUTES, "max-age": String(maxAge) },
});
