/**
 * The JWT attacks of RFC 8725 (and a few more) against the real authorizer bundle, as
 * deployed: each token is refused with `isAuthorized: false`, never a throw (a throw would
 * be a 500 from API Gateway), and the log line carries the exact reason.
 */
import { expect } from "chai";
import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { AuthorizerEvent, AuthorizerResult } from "../handlers/authorizer.js";
import { base64url } from "../handlers/lib/domain/base64url.js";
import { spkiOf } from "../handlers/lib/domain/keys.js";
import { loadAuthorizerBundle } from "./helpers/authorizer-bundle.js";
import { removeBundles } from "./helpers/bundles.js";
import { testConfig } from "./helpers/config.js";
import { p256 } from "./helpers/keys.js";

const config = testConfig();
const key = p256();
const attacker = p256();
/** P-256's group order n: r = s = n is as invalid as r = s = 0. */
const P256_ORDER = Buffer.from("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "hex");

type Claims = Record<string, unknown>;
type Header = Record<string, unknown>;

const es256 = (privateKey: KeyObject) => (input: string) => sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
const encode = (part: object | string) => base64url(typeof part === "string" ? part : JSON.stringify(part));

/** A compact JWS over any header and payload, signed however the attack needs. */
function forge(header: Header | string, claims: Claims | string, signWith: (input: string) => Buffer = es256(key.privateKey)): string {
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${base64url(signWith(input))}`;
}

describe("JWT attacks against the authorizer bundle (RFC 8725)", function () {
  this.timeout(120_000);
  let handler: (event: AuthorizerEvent) => Promise<AuthorizerResult>;
  let restoreEnv = () => {};

  before(async () => {
    ({ handler, restore: restoreEnv } = await loadAuthorizerBundle({
      ISSUER: config.issuer,
      TENANTS: config.tenants.join(","),
      JWT_PUBLIC_KEYS: spkiOf(key.publicKey),
      LOG_LEVEL: "info",
      ACCESS_TOKEN_TTL_SECONDS: String(config.accessTokenTtlSeconds),
      CLOCK_TOLERANCE_SECONDS: "60",
    }));
  });
  after(() => {
    restoreEnv();
    removeBundles();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const header = (overrides: Header = {}): Header => ({ alg: "ES256", typ: "at+jwt", kid: key.verification.kid, ...overrides });
  const claims = (overrides: Claims = {}): Claims => {
    const iat = now();
    return { iss: config.issuer, aud: "acme", sub: "u-1", email: "a@example.com", sid: "s-1", jti: "j-1", iat, nbf: iat, exp: iat + config.accessTokenTtlSeconds, ...overrides };
  };
  const without = (name: string): Claims => {
    const { [name]: _dropped, ...rest } = claims();
    return rest;
  };

  /** Runs the bundle's handler, capturing its log lines; it must never throw. */
  async function authorize(authorization: string): Promise<{ result: AuthorizerResult; logs: Array<Record<string, unknown>> }> {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      const result = await handler({ headers: { authorization }, requestContext: { requestId: "attack" } });
      return { result, logs: lines.map((line) => JSON.parse(line)) };
    } finally {
      console.log = log;
    }
  }

  /** The exact reason the authorizer logged for refusing `token`. */
  async function refusal(token: string): Promise<string> {
    const { result, logs } = await authorize(`Bearer ${token}`);
    expect(result).to.deep.equal({ isAuthorized: false });
    expect(logs, "one log line per refusal").to.have.length(1);
    expect(logs[0]).to.include({ level: "info", message: "denied", requestId: "attack" });
    return String(logs[0].reason).replace(/^access token rejected: /, "");
  }

  const allowed = async (token: string) => (await authorize(`Bearer ${token}`)).result.isAuthorized;

  it("controls: a well-formed token passes, also within the leeway and at the maximum lifetime", async () => {
    expect(await allowed(forge(header(), claims()))).to.equal(true);
    expect(await allowed(forge(header({ typ: "AT+JWT" }), claims()))).to.equal(true);
    expect(await allowed(forge(header(), claims({ exp: now() - 30, iat: now() - 900, nbf: now() - 900 })))).to.equal(true);
    expect(await allowed(forge(header(), claims({ iat: now() + 30, exp: now() + 30 + 900 })))).to.equal(true);
  });

  const pem = key.publicKey.export({ format: "pem", type: "spki" });
  const der = key.publicKey.export({ format: "der", type: "spki" });
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const hmac = (secret: string | Buffer) => (input: string) => createHmac("sha256", secret).update(input).digest();
  const zeros = () => Buffer.alloc(64);
  const valid = () => forge(header(), claims());

  const attacks: Array<[string, () => string, string]> = [
    // Algorithm confusion (RFC 8725 §2.1, §3.1): the algorithm comes from the key.
    ["alg none, signature stripped", () => forge(header({ alg: "none" }), claims(), () => Buffer.alloc(0)), "signature missing"],
    ["alg none with a signature", () => forge(header({ alg: "none" }), claims()), "invalid algorithm"],
    ["HS256 keyed with the PEM public key", () => forge(header({ alg: "HS256" }), claims(), hmac(pem)), "invalid algorithm"],
    ["HS256 keyed with the DER public key", () => forge(header({ alg: "HS256" }), claims(), hmac(der)), "invalid algorithm"],
    ["alg swapped to ES384 over an ES256 signature", () => forge(header({ alg: "ES384" }), claims()), "invalid algorithm"],
    ["alg swapped to RS256, RSA-signed", () => forge(header({ alg: "RS256" }), claims(), (i) => sign("sha256", Buffer.from(i), rsa)), "invalid algorithm"],
    ["alg missing", () => forge({ typ: "at+jwt", kid: key.verification.kid }, claims()), "invalid algorithm"],
    // Key selection (RFC 8725 §3.10): kid is looked up, never used as a path or query.
    ["kid path traversal", () => forge(header({ kid: "../../../../dev/null" }), claims()), "unknown kid ../../../../dev/null"],
    ["kid injection", () => forge(header({ kid: "' OR '1'='1" }), claims()), "unknown kid ' OR '1'='1"],
    ["kid as an object", () => forge(header({ kid: { $ne: null } }), claims()), "unknown kid [object Object]"],
    ["kid missing", () => forge({ alg: "ES256", typ: "at+jwt" }, claims()), "unknown kid undefined"],
    ["kid of 1000 characters (logged truncated)", () => forge(header({ kid: "k".repeat(1000) }), claims()), `unknown kid ${"k".repeat(64)}`],
    ["an unknown key with its own kid", () => forge(header({ kid: attacker.verification.kid }), claims(), es256(attacker.privateKey)), `unknown kid ${attacker.verification.kid}`],
    ["a known kid over another key's signature", () => forge(header(), claims(), es256(attacker.privateKey)), "invalid signature"],
    // Keys and extensions named by the token itself (RFC 7515 §4.1.11, RFC 8725 §3.10).
    ["an embedded jwk, self-signed", () => forge(header({ kid: attacker.verification.kid, jwk: attacker.verification.jwk }), claims(), es256(attacker.privateKey)), "header jwk not allowed"],
    ["an embedded jwk beside the right kid", () => forge(header({ jwk: attacker.verification.jwk }), claims()), "header jwk not allowed"],
    ["jku", () => forge(header({ jku: "https://evil.example/jwks.json" }), claims()), "header jku not allowed"],
    ["x5u", () => forge(header({ x5u: "https://evil.example/cert.pem" }), claims()), "header x5u not allowed"],
    ["x5c", () => forge(header({ x5c: [der.toString("base64")] }), claims()), "header x5c not allowed"],
    ["crit with an unknown extension, validly signed", () => forge(header({ crit: ["x-unknown"], "x-unknown": 1 }), claims()), "header crit not allowed"],
    ["crit empty", () => forge(header({ crit: [] }), claims()), "header crit not allowed"],
    // Token type confusion (RFC 8725 §3.11, RFC 9068 §4).
    ["typ JWT (an ID token)", () => forge(header({ typ: "JWT" }), claims()), "typ JWT is not at+jwt"],
    ["typ missing", () => forge({ alg: "ES256", kid: key.verification.kid }, claims()), "typ undefined is not at+jwt"],
    ["typ dpop+jwt", () => forge(header({ typ: "dpop+jwt" }), claims()), "typ dpop+jwt is not at+jwt"],
    // Time (RFC 7519 §4.1.4-6), with at most 60 s leeway.
    ["expired beyond the leeway", () => forge(header(), claims({ iat: now() - 961, nbf: now() - 961, exp: now() - 61 })), "jwt expired"],
    ["nbf in the future", () => forge(header(), claims({ nbf: now() + 120 })), "jwt not active"],
    ["iat in the future", () => forge(header(), claims({ iat: now() + 120, nbf: now(), exp: now() + 120 + 900 })), "iat in the future"],
    ["a lifetime one second over the maximum", () => forge(header(), claims({ exp: now() + 901 })), "lifetime 901 s above 900 s"],
    ["a lifetime of ten years", () => forge(header(), claims({ exp: now() + 315_360_000 })), "lifetime 315360000 s above 900 s"],
    ["exp as a string", () => forge(header(), claims({ exp: String(now() + 60) })), "invalid exp value"],
    // Issuer and audience (RFC 8725 §3.8, §3.9).
    ["another issuer", () => forge(header(), claims({ iss: "https://evil.example" })), "jwt issuer invalid. expected: https://auth.test"],
    ["an unserved tenant", () => forge(header(), claims({ aud: "other" })), "jwt audience invalid. expected: default or acme"],
    ["aud as an array of two tenants", () => forge(header(), claims({ aud: ["acme", "default"] })), "aud must name exactly one tenant"],
    ["aud as an array of one tenant", () => forge(header(), claims({ aud: ["acme"] })), "aud must name exactly one tenant"],
    ["iss missing", () => forge(header(), without("iss")), "jwt issuer invalid. expected: https://auth.test"],
    ["aud missing", () => forge(header(), without("aud")), "jwt audience invalid. expected: default or acme"],
    ...["sub", "email", "sid", "jti", "exp", "iat", "nbf"].map((name): [string, () => string, string] => [`${name} missing`, () => forge(header(), without(name)), `claim ${name} missing`]),
    ["sub empty", () => forge(header(), claims({ sub: "" })), "claim sub missing"],
    // Tampering: a member appended twice after signing (JSON.parse keeps the last, RFC
    // 7519 §4 allows that), or a re-encoded payload, breaks the signature.
    ["a duplicate sub member added to a signed token", () => {
      const [h, p, s] = valid().split(".");
      const text = Buffer.from(p, "base64url").toString().replace(/}$/, ',"sub":"admin"}');
      return `${h}.${encode(text)}.${s}`;
    }, "invalid signature"],
    ["a payload swapped under a valid signature", () => {
      const [h, , s] = valid().split(".");
      return `${h}.${encode(claims({ sub: "admin" }))}.${s}`;
    }, "invalid signature"],
    // Encoding (RFC 7515 §2, §7.1): one spelling per token.
    ["a token over 4096 characters", () => forge(header(), claims({ pad: "x".repeat(4096) })), "token too long"],
    ["a standard base64 character (+)", () => `${valid().slice(0, -1)}+`, "not base64url"],
    ["a standard base64 character (/)", () => `/${valid().slice(1)}`, "not base64url"],
    ["padding", () => `${valid()}==`, "not base64url"],
    ["a b64token character outside base64url (~)", () => `${valid().slice(0, -1)}~`, "not base64url"],
    ["a second spelling of the signature (padding bits)", () => {
      const token = valid();
      const last = token.at(-1)!;
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      // 64 bytes are 86 characters; the last one carries 2 bits and 4 unused ones.
      const twin = alphabet[alphabet.indexOf(last) ^ 1];
      return token.slice(0, -1) + twin;
    }, "signature not canonical base64url"],
    ["two segments (signature and dot stripped)", () => valid().split(".").slice(0, 2).join("."), "not a compact JWS"],
    ["five segments (a JWE)", () => `${valid()}.a.b`, "not a compact JWS"],
    ["a header that is not JSON", () => forge("not json", claims()), "not a JWT"],
    ["a payload that is not JSON", () => forge(header(), "not json"), "not a JWT"],
    // Signature values (CVE-2022-21449 "psychic signatures"; RFC 8725 §3.4).
    ["ECDSA r = s = 0", () => forge(header(), claims(), zeros), "invalid signature"],
    ["ECDSA r = s = n", () => forge(header(), claims(), () => Buffer.concat([P256_ORDER, P256_ORDER])), "invalid signature"],
    ["a 63-byte signature", () => forge(header(), claims(), (i) => es256(key.privateKey)(i).subarray(1)), '"ES256" signatures must be "64" bytes, saw "63"'],
  ];

  for (const [name, build, reason] of attacks) {
    it(`refuses ${name}: "${reason.slice(0, 60)}"`, async () => {
      expect(await refusal(build())).to.equal(reason);
    });
  }

  it("refuses requests without a usable bearer token, logging why", async () => {
    for (const authorization of ["", "Bearer", "Bearer ", `Basic ${valid()}`, valid()]) {
      const { result, logs } = await authorize(authorization);
      expect(result, authorization.slice(0, 20)).to.deep.equal({ isAuthorized: false });
      expect(logs.map((l) => l.reason)).to.deep.equal(["no bearer token"]);
    }
  });

  it("never logs the token", async () => {
    const token = forge(header({ typ: "JWT" }), claims());
    const { logs } = await authorize(`Bearer ${token}`);
    expect(JSON.stringify(logs)).not.to.include(token.split(".")[2]);
  });
});
