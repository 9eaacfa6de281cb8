import { expect } from "chai";
import { createHash, createHmac, generateKeyPairSync, sign } from "node:crypto";
import jwt from "jsonwebtoken";
import { issueAccessToken } from "../handlers/lib/domain/access-token.js";
import { base64url } from "../handlers/lib/domain/base64url.js";
import { thumbprint } from "../handlers/lib/domain/keys.js";
import { TokenRejectedError, verifyAccessToken, type VerifyOptions } from "../handlers/lib/domain/verify-access-token.js";
import { testConfig } from "./helpers/config.js";
import { p256 } from "./helpers/keys.js";

const config = testConfig();
const key = p256();
const now = Date.UTC(2026, 5, 1, 12);
const subject = { userId: "u-1", email: "a@example.com", tenant: "acme", sid: "s-1", emailVerified: true };
const options = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({
  keys: [key.verification],
  issuer: config.issuer,
  audiences: config.tenants,
  clockToleranceSeconds: 60,
  maxLifetimeSeconds: config.accessTokenTtlSeconds,
  now,
  ...overrides,
});
const issue = async (at = now) => (await issueAccessToken(subject, { signer: key.signer, config, now: at })).token;
const parts = (token: string) => token.split(".").map((p, i) => (i < 2 ? JSON.parse(Buffer.from(p, "base64url").toString()) : p));

/** Builds a token with arbitrary header and claims, signed by `signWith` (ES256 by default). */
function forge(header: object, claims: object, signWith = (input: string) => sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })) {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(signWith(input))}`;
}

const rejected = (token: string, opts = options()): string => {
  try {
    verifyAccessToken(token, opts);
  } catch (error) {
    expect(error).to.be.instanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  }
  throw new Error("token was accepted");
};

describe("access tokens", () => {
  it("carry the RFC 9068 header and claims", async () => {
    const [header, claims] = parts(await issue());
    expect(header).to.deep.equal({ alg: "ES256", typ: "at+jwt", kid: key.verification.kid });
    expect(claims).to.include({ iss: config.issuer, aud: "acme", sub: "u-1", email: "a@example.com", email_verified: true, sid: "s-1" });
    expect(claims.iat).to.equal(now / 1000);
    expect(claims.nbf).to.equal(claims.iat);
    expect(claims.exp).to.equal(claims.iat + config.accessTokenTtlSeconds);
    expect(claims.jti).to.match(/^[0-9a-f-]{36}$/);
  });

  it("use the RFC 7638 thumbprint of the public key as kid", () => {
    const jwk = key.publicKey.export({ format: "jwk" });
    // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
    const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
    expect(key.verification.kid).to.equal(createHash("sha256").update(canonical).digest("base64url"));
    // Member order and optional members do not change it.
    expect(thumbprint({ y: jwk.y, x: jwk.x, kty: "EC", crv: "P-256", kid: "ignored", use: "sig" } as never)).to.equal(key.verification.kid);
  });

  it("verify with a standard library (jsonwebtoken) given only the JWKS entry", async () => {
    const token = await issue(Date.now());
    const jwk = key.verification.jwk;
    const { createPublicKey } = await import("node:crypto");
    const claims = jwt.verify(token, createPublicKey({ key: { ...jwk }, format: "jwk" }), { algorithms: [jwk.alg], audience: "acme", issuer: config.issuer });
    expect(claims).to.have.property("sub", "u-1");
  });

  it("are accepted by the verifier until exp + leeway", async () => {
    const token = await issue();
    expect(verifyAccessToken(token, options()).sub).to.equal("u-1");
    const exp = now + config.accessTokenTtlSeconds * 1000;
    expect(verifyAccessToken(token, options({ now: exp + 59_000 })).sid).to.equal("s-1");
    expect(rejected(token, options({ now: exp + 61_000 }))).to.equal("jwt expired");
    expect(rejected(token, options({ now: exp + 1_000, clockToleranceSeconds: 0 }))).to.equal("jwt expired");
  });

  it("are refused before nbf beyond the leeway", async () => {
    const token = await issue(now + 120_000);
    expect(rejected(token)).to.equal("jwt not active");
    expect(verifyAccessToken(await issue(now + 30_000), options()).sub).to.equal("u-1");
  });

  it("are refused for another issuer or an unserved tenant", async () => {
    expect(rejected(await issue(), options({ issuer: "https://other" }))).to.equal("jwt issuer invalid. expected: https://other");
    expect(rejected(await issue(), options({ audiences: ["default"] }))).to.equal("jwt audience invalid. expected: default");
  });

  it("are refused when signed by an unknown key or with a tampered payload", async () => {
    const other = p256();
    const token = await issue();
    expect(rejected(token, options({ keys: [other.verification] }))).to.equal(`unknown kid ${key.verification.kid}`);
    // Same kid, different key: the signature check fails.
    expect(rejected(token, options({ keys: [{ ...other.verification, kid: key.verification.kid }] }))).to.equal("invalid signature");
    const [h, , s] = token.split(".");
    const claims = { ...parts(token)[1], sub: "admin" };
    expect(rejected(`${h}.${base64url(JSON.stringify(claims))}.${s}`)).to.equal("invalid signature");
  });

  it("accept every listed key, so rotation keeps old tokens valid", async () => {
    const newer = p256();
    const token = await issue();
    expect(verifyAccessToken(token, options({ keys: [newer.verification, key.verification] })).sub).to.equal("u-1");
  });

  describe("algorithm confusion and header tricks", () => {
    const good = { iss: config.issuer, aud: "acme", sub: "u", email: "e@x.io", sid: "s", jti: "j", iat: now / 1000, nbf: now / 1000, exp: now / 1000 + 60 };
    const header = { alg: "ES256", typ: "at+jwt", kid: key.verification.kid };

    it("a forged token with the right key and claims passes (control)", () => {
      expect(verifyAccessToken(forge(header, good), options()).sub).to.equal("u");
    });

    it("refuses alg none", () => {
      const input = `${base64url(JSON.stringify({ ...header, alg: "none" }))}.${base64url(JSON.stringify(good))}`;
      expect(rejected(`${input}.`)).to.equal("signature missing");
    });

    it("refuses HS256 keyed with the public key", () => {
      const pem = key.publicKey.export({ format: "pem", type: "spki" });
      const token = forge({ ...header, alg: "HS256" }, good, (input) => createHmac("sha256", pem).update(input).digest());
      expect(rejected(token)).to.equal("invalid algorithm");
    });

    it("refuses ES384/RS256 headers even with a valid ES256 signature", () => {
      expect(rejected(forge({ ...header, alg: "ES384" }, good))).to.equal("invalid algorithm");
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      expect(rejected(forge({ ...header, alg: "RS256" }, good, (i) => sign("sha256", Buffer.from(i), rsa)))).to.equal("invalid algorithm");
    });

    it("refuses other token types (an ID token, a plain JWT)", () => {
      expect(rejected(forge({ ...header, typ: "JWT" }, good))).to.equal("typ JWT is not at+jwt");
      expect(rejected(forge({ alg: "ES256", kid: key.verification.kid }, good))).to.equal("typ undefined is not at+jwt");
    });

    for (const claim of ["sub", "email", "sid", "jti", "exp", "iat", "nbf"]) {
      it(`refuses a token without ${claim}`, () => {
        const { [claim as keyof typeof good]: _dropped, ...rest } = good;
        expect(rejected(forge(header, rest))).to.equal(`claim ${claim} missing`);
      });
    }

    it("reads a missing email_verified (a token minted before the claim) as false, and refuses one that is not a boolean", () => {
      expect(verifyAccessToken(forge(header, good), options()).email_verified).to.equal(false);
      expect(verifyAccessToken(forge(header, { ...good, email_verified: true }), options()).email_verified).to.equal(true);
      for (const value of ["true", 1, null, {}]) {
        expect(rejected(forge(header, { ...good, email_verified: value })), JSON.stringify(value)).to.equal("claim email_verified must be a boolean");
      }
    });

    it("reads a missing amr (a token minted before MFA) as [pwd], keeps [pwd, otp], and refuses one that is not an array of names (RFC 8176 §2)", () => {
      expect(verifyAccessToken(forge(header, good), options()).amr).to.deep.equal(["pwd"]);
      expect(verifyAccessToken(forge(header, { ...good, amr: ["pwd", "otp"] }), options()).amr).to.deep.equal(["pwd", "otp"]);
      for (const value of ["pwd", "pwd otp", [1], ["pwd", null], ["pwd otp"], {}, null]) {
        expect(rejected(forge(header, { ...good, amr: value })), JSON.stringify(value)).to.equal("claim amr must be an array of method names");
      }
    });

    it("refuses several audiences at once", () => {
      expect(rejected(forge(header, { ...good, aud: ["acme", "default"] }))).to.equal("aud must name exactly one tenant");
    });

    it("refuses junk of every shape, each for its own reason", () => {
      const junk: Array<[string, string]> = [
        ["", "not a compact JWS"],
        ["a", "not a compact JWS"],
        ["a.b", "not a compact JWS"],
        ["a.b.c", "signature not canonical base64url"],
        ["..", "signature missing"],
        ["null.null.null", "not a JWT"],
        ["eyJhbGciOiJFUzI1NiJ9.e30.", "signature missing"],
        [forge(header, good).slice(0, -5), "signature not canonical base64url"],
      ];
      for (const [token, reason] of junk) expect(rejected(token), token.slice(0, 30)).to.equal(reason);
    });

    /** A validly signed token of exactly `length` characters, padded with an extra claim. */
    const paddedToken = (length: number): string => {
      // base64url cannot produce every segment length, so the header's JSON gets 0-3 spaces too.
      for (let spaces = 0; spaces < 4; spaces++) {
        for (let pad = 0; pad < length; pad++) {
          const claims = { ...good, pad: "p".repeat(pad) };
          const input = `${base64url(`{${" ".repeat(spaces)}${JSON.stringify(header).slice(1)}`)}.${base64url(JSON.stringify(claims))}`;
          // An ES256 signature is always 64 bytes: 86 base64url characters.
          if (input.length + 1 + 86 === length) {
            return `${input}.${base64url(sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" }))}`;
          }
          if (input.length + 1 + 86 > length) break;
        }
      }
      throw new Error(`no padded token of length ${length}`);
    };

    it("accept a validly signed token of 4,096 characters and refuse one of 4,097 as too long", () => {
      const longest = paddedToken(4096);
      expect(verifyAccessToken(longest, options()).sub, "4,096 characters").to.equal("u");
      const tooLong = paddedToken(4097);
      expect(tooLong.length).to.equal(4097);
      expect(rejected(tooLong)).to.equal("token too long");
      expect(rejected("a".repeat(5000))).to.equal("token too long");
    });
  });
});
