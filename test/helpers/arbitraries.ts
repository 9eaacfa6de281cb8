/**
 * fast-check arbitraries for hostile HTTP requests: bodies (JSON, bytes, odd Unicode),
 * content types, header sets and junk bearer tokens.
 */
import fc from "fast-check";

const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
export const base64urlChar = fc.constantFrom(...BASE64URL_ALPHABET);
export const base64urlText = (minLength: number, maxLength: number) => fc.string({ unit: base64urlChar, minLength, maxLength });
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** What a header value may carry on the wire (visible ASCII, space, obs-text). */
export const headerText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c)),
  maxLength: 120,
});

/** Characters that break naive string handling: lone surrogates, format and control characters, lookalikes. */
const oddChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("\u200b", "\u200d", "\u00ad", "\ufeff", "\u202e", "\u0000", "\u0085", "\u2028", "\u0130", "\ufb01", "\uff45", "@", ".", "#", " "),
  },
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
);
export const oddText = fc.string({ unit: oddChar, maxLength: 60 });

const emailish = fc.oneof(
  fc.emailAddress(),
  fc.tuple(oddText, oddText).map(([local, domain]) => `${local}@${domain}`),
  oddText.map((local) => `${local}@example.com`),
  fc.constantFrom("", "@", "a@", "@b", "a@b@c", " A@B.IO ", "x".repeat(250) + "@b.io"),
);
const passwordish = fc.oneof(oddText, fc.string({ unit: "grapheme", minLength: 8, maxLength: 40 }), fc.constantFrom("", "x".repeat(257), "\ud800".repeat(12)));
const anyField = (text: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constantFrom(null, 0, true, [], {}) });

/** Junk where a token goes: random text, base64url, JWT-shaped pieces with hostile headers. */
export function junkToken(issuer: string): fc.Arbitrary<string> {
  const header = fc.record(
    {
      alg: fc.constantFrom("none", "None", "ES256", "HS256", "RS256", "ES384", "EdDSA"),
      typ: fc.constantFrom("at+jwt", "JWT", "at+JWT"),
      kid: base64urlText(0, 43),
      crit: fc.constant(["x-unknown"]),
      jku: fc.constant("https://evil.example/jwks.json"),
      jwk: fc.constant({ kty: "EC", crv: "P-256", x: "AA", y: "AA" }),
    },
    { requiredKeys: ["alg"] },
  );
  const now = Math.floor(Date.now() / 1000);
  const time = fc.oneof(fc.integer({ min: now - 7200, max: now + 7200 }), fc.constantFrom(0, -1, 1e20, "soon", null));
  const claims = fc.record(
    {
      iss: fc.constantFrom(issuer, `${issuer}/`, "https://evil.example", ""),
      aud: fc.oneof(fc.constantFrom("default", "acme", ["default"], ""), oddText),
      sub: fc.uuid(),
      email: emailish,
      sid: base64urlText(1, 22),
      iat: time,
      nbf: time,
      exp: time,
      jti: fc.uuid(),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    base64urlText(0, 200),
    headerText,
    fc.tuple(header, claims, base64urlText(0, 90)).map(([h, c, s]) => `${b64(h)}.${b64(c)}.${s}`),
    fc.tuple(header, claims).map(([h, c]) => `${b64(h)}.${b64(c)}.`),
    fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), headerText).map(([h, c, s]) => `${b64(h)}.${b64(c)}.${s}`),
    fc.constantFrom("a.b.c", "..", ".", "a.b.c.d.e", "x".repeat(5000)),
  );
}

/** A value for `Authorization`: mostly Bearer junk, sometimes another scheme or no token at all. */
export function junkAuthorization(issuer: string, tokens: fc.Arbitrary<string> = junkToken(issuer)): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: tokens.map((token) => `Bearer ${token}`) },
    { weight: 1, arbitrary: tokens.map((token) => `bEaReR   ${token}`) },
    { weight: 1, arbitrary: headerText },
    { weight: 1, arbitrary: fc.constantFrom("", "Bearer", "Bearer ", "Basic YWRhOmNvcnJlY3Q=", "DPoP x.y.z", "Bearer a b") },
  );
}

/** The HTTP request headers a hostile or confused client might send. */
export function junkHeaders(issuer: string): fc.Arbitrary<Record<string, string>> {
  const forbidden = new Set(["host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te", "trailer", "keep-alive"]);
  const name = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"), minLength: 1, maxLength: 20 }).filter((n) => !forbidden.has(n));
  const cookie = fc.oneof(
    junkToken(issuer).map((token) => `refresh_token=${token}`),
    fc.tuple(headerText, headerText).map(([a, b]) => `${a}=${b}`),
    headerText,
    fc.constantFrom("refresh_token=", "refresh_token", "=; ; refresh_token=a.b; refresh_token=c.d", "refresh_token=a.b; Path=/"),
  );
  return fc
    .tuple(
      fc.record(
        {
          "content-type": contentType,
          authorization: junkAuthorization(issuer),
          cookie,
          origin: fc.oneof(fc.constantFrom("https://evil.example", "null", "http://localhost:5173", issuer, ""), headerText),
          "sec-fetch-site": fc.constantFrom("cross-site", "same-site", "same-origin", "none", "junk"),
          "x-forwarded-for": fc.oneof(fc.constantFrom("1.2.3.4", "127.0.0.1, 10.0.0.1", "::1"), headerText),
          "user-agent": headerText,
          "content-encoding": fc.constantFrom("gzip", "br", "identity"),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(name, headerText, { maxKeys: 3 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/** Content types: the right one in its spellings, the CSRF-friendly ones, and noise. */
export const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    "application/json; charset=latin1",
    "application/jsonx",
    "application/problem+json",
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "",
  ),
  headerText,
);

/** Credentials that pass the shape checks, with odd characters inside: these reach the table and argon2. */
const plausibleCredentials = fc
  .record({
    email: fc.tuple(fc.emailAddress(), oddText, fc.boolean()).map(([email, odd, upper]) => (upper ? email.toUpperCase() : email).replace("@", `${odd.replace(/@/g, "")}@`)),
    password: fc.string({ unit: oddChar, minLength: 12, maxLength: 40 }),
  })
  .map((body) => JSON.stringify(body));

/** Request bodies: none, random JSON, credential-shaped objects with odd values, raw bytes, text. */
export const junkBody: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: plausibleCredentials },
  {
    weight: 3,
    arbitrary: fc
    .record(
      {
        email: anyField(emailish),
        password: anyField(passwordish),
        tenant: anyField(fc.oneof(fc.constantFrom("default", "DEFAULT", " default", "acme", "nope", "default#x"), oddText)),
        refresh_token: anyField(fc.oneof(base64urlText(0, 130), oddText, fc.tuple(base64urlText(1, 30), base64urlText(1, 60)).map(([a, b]) => `${a}.${b}`))),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 400 }) },
  { weight: 1, arbitrary: oddText },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
    "{",
    "[]",
    "null",
    '"x"',
    "{}",
    "\ufeff{}",
    '{"__proto__":{"email":"a@b.io","password":"correct horse battery"}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    "email=a%40b.io&password=correct+horse+battery",
    JSON.stringify({ email: "a@b.io", password: "x".repeat(17_000) }),
  ),
  },
);
