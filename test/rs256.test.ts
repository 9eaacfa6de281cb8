/**
 * RS256 end to end (RFC 7518 §3.3): RSA keys and their JWK, the KMS signer against a stand-in
 * that signs with real RSA, the local RSA key file, the real authorizer and jwks bundles, and
 * the whole local runtime in RS256 mode, its tokens verified by libraries nobody here wrote
 * (jose through the JWKS URL, jsonwebtoken). The same jose check runs for ES256.
 */
import { GetPublicKeyCommand, SignCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { constants, createHmac, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateJwkThumbprint, createRemoteJWKSet, jwtVerify } from "jose";
import jwt from "jsonwebtoken";
import type { AuthorizerEvent, AuthorizerResult } from "../handlers/authorizer.js";
import { KeyFileError } from "../handlers/lib/adapters/key-file.js";
import { kmsSigner, type KmsSend } from "../handlers/lib/adapters/kms-signer.js";
import { loadOrCreateKeyFile, localSigner } from "../handlers/lib/adapters/local-signer.js";
import { issueAccessToken } from "../handlers/lib/domain/access-token.js";
import { base64url } from "../handlers/lib/domain/base64url.js";
import { algorithmOf, spkiOf, thumbprint, verificationKey, type JoseAlg } from "../handlers/lib/domain/keys.js";
import type { Signer } from "../handlers/lib/domain/signer.js";
import { verifyAccessToken } from "../handlers/lib/domain/verify-access-token.js";
import { loadVerificationKeys } from "../handlers/lib/runtime/keys-from-env.js";
import { dataPaths, loadLocalKeys } from "../local/local-data.js";
import { bearer } from "./helpers/access-tokens.js";
import { loadAuthorizerBundle } from "./helpers/authorizer-bundle.js";
import { bundles, removeBundles } from "./helpers/bundles.js";
import { setEnv } from "./helpers/bundled-handlers.js";
import { testConfig } from "./helpers/config.js";
import { freeLoopbackPort } from "./helpers/free-port.js";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { p256, rsa } from "./helpers/keys.js";
import { spawnLocalRuntime } from "./helpers/local-runtime.js";

const config = testConfig();
const KEY_ID = "arn:aws:kms:eu-west-1:111122223333:key/5a6b7c8d";
const subject = { userId: "u-1", email: "ada@example.com", tenant: "default", sid: "s-1", emailVerified: true };

/** The claims and checks every verification here uses, at `now`. */
const verifyWith = (keys: ReturnType<typeof p256>["verification"][], token: string, now = Date.now()) =>
  verifyAccessToken(token, { keys, issuer: config.issuer, audiences: config.tenants, clockToleranceSeconds: 0, maxLifetimeSeconds: config.accessTokenTtlSeconds, now });

const signToken = async (signer: Signer, now = Date.now()) => (await issueAccessToken(subject, { signer, config, now })).token;

describe("RS256", function () {
  this.timeout(180_000);
  const key = rsa();
  const ec = p256();

  describe("RSA keys (domain/keys.ts)", () => {
    it("takes the algorithm from the key: RSA of 2048 bits or more is RS256, P-256 is ES256", () => {
      expect(algorithmOf(key.publicKey)).to.equal("RS256");
      expect(algorithmOf(key.privateKey)).to.equal("RS256");
      expect(algorithmOf(rsa(3072).publicKey)).to.equal("RS256");
      expect(algorithmOf(ec.publicKey)).to.equal("ES256");
    });

    it("refuses RSA below 2048 bits (RFC 7518 §3.3), RSA-PSS keys and other curves", () => {
      expect(() => algorithmOf(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey)).to.throw(/1024 bits: RS256 needs 2048 or more/);
      expect(() => algorithmOf(generateKeyPairSync("rsa-pss", { modulusLength: 2048 }).publicKey)).to.throw(/unsupported signing key type rsa-pss/);
      expect(() => algorithmOf(generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey)).to.throw(/unsupported signing key type ec\/secp384r1/);
      const weak = spkiOf(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey);
      expect(() => loadVerificationKeys({ JWT_PUBLIC_KEYS: `${spkiOf(key.publicKey)},${weak}` })).to.throw(/JWT_PUBLIC_KEYS.*entry 2.*1024 bits/);
    });

    it("publishes an RSA public JWK with exactly kty, n, e, kid, alg and use", () => {
      const exported = key.publicKey.export({ format: "jwk" });
      expect(key.verification.jwk).to.deep.equal({ kty: "RSA", n: exported.n, e: "AQAB", kid: key.verification.kid, alg: "RS256", use: "sig" });
      expect(Buffer.from(exported.n!, "base64url")).to.have.length(256);
    });

    it("derives kid as the RFC 7638 thumbprint over e, kty, n: the RFC's own example, and jose agrees on fresh keys", async () => {
      // RFC 7638 §3.1.
      const example = {
        kty: "RSA",
        n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        e: "AQAB",
        alg: "RS256",
        kid: "2011-04-29",
      };
      expect(thumbprint(example)).to.equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
      expect(verificationKey(createPublicKey({ key: example, format: "jwk" })).kid).to.equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
      for (const fresh of [key, ec, rsa()]) {
        expect(fresh.verification.kid).to.equal(await calculateJwkThumbprint(fresh.verification.jwk as never, "sha256"));
      }
    });
  });

  describe("KMS signer", () => {
    /**
     * A stand-in for AWS KMS answering with real cryptography: Sign with RSASSA-PKCS1-v1_5 on an
     * RSA key (and, as KMS does, refusing an algorithm the key cannot use), GetPublicKey its DER SPKI.
     */
    function fakeKms(privateKey: KeyObject) {
      const calls: string[] = [];
      const keySpec = privateKey.asymmetricKeyType === "rsa" ? "RSA_2048" : "ECC_NIST_P256";
      const usable = keySpec === "RSA_2048" ? ["RSASSA_PKCS1_V1_5_SHA_256"] : ["ECDSA_SHA_256"];
      const kms: KmsSend = {
        send: (async (command: unknown) => {
          if (command instanceof SignCommand) {
            const { KeyId, SigningAlgorithm, MessageType, Message } = command.input;
            calls.push(`Sign ${KeyId} ${SigningAlgorithm} ${MessageType}`);
            if (!usable.includes(SigningAlgorithm!)) throw Object.assign(new Error(`${SigningAlgorithm} is not valid for ${keySpec}`), { name: "InvalidKeyUsageException" });
            const signature =
              keySpec === "RSA_2048" ? sign("sha256", Buffer.from(Message!), privateKey) : sign("sha256", Buffer.from(Message!), { key: privateKey, dsaEncoding: "der" });
            return { Signature: signature, KeyId, SigningAlgorithm };
          }
          if (command instanceof GetPublicKeyCommand) {
            calls.push(`GetPublicKey ${command.input.KeyId}`);
            return { PublicKey: createPublicKey(privateKey).export({ format: "der", type: "spki" }), KeySpec: keySpec, SigningAlgorithms: usable };
          }
          throw new Error("unexpected command");
        }) as KmsSend["send"],
      };
      return { kms, calls };
    }

    it("signs RS256 tokens with RSASSA_PKCS1_V1_5_SHA_256, passing KMS's signature through unchanged", async () => {
      const { kms, calls } = fakeKms(key.privateKey);
      const signer = await kmsSigner(kms, KEY_ID, spkiOf(key.publicKey));
      expect([signer.alg, signer.kid]).to.deep.equal(["RS256", key.verification.kid]);
      const token = await signToken(signer);
      expect(JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString())).to.deep.equal({ alg: "RS256", typ: "at+jwt", kid: key.verification.kid });
      expect(verifyWith([key.verification], token).sub).to.equal("u-1");
      const [h, p, s] = token.split(".");
      expect(Buffer.from(s, "base64url")).to.have.length(256);
      expect(verify("sha256", Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, "base64url"))).to.equal(true);
      expect(calls).to.deep.equal([`Sign ${KEY_ID} RSASSA_PKCS1_V1_5_SHA_256 RAW`]);
    });

    it("asks KMS for the public key once when none is configured, and learns RS256 from it", async () => {
      const { kms, calls } = fakeKms(key.privateKey);
      const signer = await kmsSigner(kms, KEY_ID);
      expect([signer.alg, signer.kid]).to.deep.equal(["RS256", key.verification.kid]);
      expect(verifyWith([key.verification], await signToken(signer)).sub).to.equal("u-1");
      expect(calls).to.deep.equal([`GetPublicKey ${KEY_ID}`, `Sign ${KEY_ID} RSASSA_PKCS1_V1_5_SHA_256 RAW`]);
    });

    it("keeps ES256 on an ECC key (ECDSA_SHA_256, DER converted), so one signer serves both", async () => {
      const { kms, calls } = fakeKms(ec.privateKey);
      const signer = await kmsSigner(kms, KEY_ID);
      expect(signer.alg).to.equal("ES256");
      expect(verifyWith([ec.verification], await signToken(signer)).sub).to.equal("u-1");
      expect(calls.at(-1)).to.equal(`Sign ${KEY_ID} ECDSA_SHA_256 RAW`);
    });

    it("an RS256 token verifies with the RSA key only, never with an ES256 key of the same kid (RFC 8725 §3.1)", async () => {
      const token = await signToken(localSigner(key.privateKey));
      const impostor = { ...ec.verification, kid: key.verification.kid };
      expect(() => verifyWith([impostor], token)).to.throw(/invalid algorithm/);
      const esToken = await signToken(localSigner(ec.privateKey));
      const rsaImpostor = { ...key.verification, kid: ec.verification.kid };
      expect(() => verifyWith([rsaImpostor], esToken)).to.throw(/invalid algorithm/);
    });
  });

  describe("local RSA key file", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "rs256-key-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("creates an RSA 2048 key (mode 0600) on first use and reads the same key after", async () => {
      const path = join(dir, "k.pem");
      const first = loadOrCreateKeyFile(path, "RS256");
      expect(first.asymmetricKeyDetails?.modulusLength).to.equal(2048);
      expect(statSync(path).mode & 0o777).to.equal(0o600);
      const again = loadOrCreateKeyFile(path, "RS256");
      const signer = localSigner(again);
      expect([signer.alg, signer.kid]).to.deep.equal(["RS256", verificationKey(createPublicKey(first)).kid]);
      // The bundles read the file without naming an algorithm: they take whichever key it holds.
      expect(localSigner(loadOrCreateKeyFile(path)).alg).to.equal("RS256");
      expect(verifyWith([verificationKey(createPublicKey(first))], await signToken(signer)).sub).to.equal("u-1");
    });

    it("refuses a key of the other algorithm, or RSA below 2048 bits, naming the file", () => {
      const ecFile = join(dir, "ec.pem");
      writeFileSync(ecFile, ec.privateKey.export({ format: "pem", type: "pkcs8" }));
      const weakFile = join(dir, "weak.pem");
      writeFileSync(weakFile, generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }));
      const rsaFile = join(dir, "rsa.pem");
      writeFileSync(rsaFile, key.privateKey.export({ format: "pem", type: "pkcs8" }));
      const problem = (path: string, alg?: JoseAlg) => {
        try {
          loadOrCreateKeyFile(path, alg);
        } catch (error) {
          expect(error).to.be.instanceOf(KeyFileError);
          return `${(error as KeyFileError).path === path} ${(error as KeyFileError).problem}`;
        }
        return "accepted";
      };
      expect(problem(ecFile, "RS256")).to.equal("true holds a key that is not RSA of 2048 bits or more (RS256 needs one)");
      expect(problem(weakFile, "RS256")).to.equal("true holds a key that is not RSA of 2048 bits or more (RS256 needs one)");
      expect(problem(rsaFile, "ES256")).to.equal("true holds a key that is not P-256 (ES256 needs one)");
      expect(problem(weakFile)).to.equal("true holds a key that is not P-256 (ES256 needs one) or RSA of 2048 bits or more (RS256 needs one)");
      expect(problem(ecFile)).to.equal("accepted");
    });

    it("keeps one file per algorithm in the local data folder: switching never replaces the P-256 key", () => {
      const es = loadLocalKeys(dir, "ES256");
      const p256Pem = readFileSync(dataPaths(dir).signingKey, "utf8");
      const rs = loadLocalKeys(dir, "RS256");
      expect(rs.signingKeyFile).to.equal(join(dir, "signing-key-rs256.pem"));
      expect(algorithmOf(rs.signingKey)).to.equal("RS256");
      expect(readFileSync(dataPaths(dir).signingKey, "utf8")).to.equal(p256Pem);
      expect(loadLocalKeys(dir).signingKey.equals(es.signingKey), "ES256 again: the same key").to.equal(true);
      expect(loadLocalKeys(dir, "RS256").signingKey.equals(rs.signingKey), "RS256 again: the same key").to.equal(true);
    });
  });

  describe("the real bundles with an RSA key", () => {
    let authorize: (event: AuthorizerEvent) => Promise<AuthorizerResult>;
    let restore = () => {};
    const attacker = rsa();
    before(async () => {
      ({ handler: authorize, restore } = await loadAuthorizerBundle({
        ISSUER: config.issuer,
        TENANTS: config.tenants.join(","),
        // Both algorithms at once, as during a switch: each kid keeps its own algorithm.
        JWT_PUBLIC_KEYS: `${spkiOf(ec.publicKey)},${spkiOf(key.publicKey)}`,
        LOG_LEVEL: "info",
        ACCESS_TOKEN_TTL_SECONDS: String(config.accessTokenTtlSeconds),
        CLOCK_TOLERANCE_SECONDS: "60",
      }));
    });
    after(() => {
      restore();
      removeBundles();
    });

    /** The authorizer's answer and the reason it logged. */
    async function decide(token: string): Promise<{ allowed: boolean; reason?: string }> {
      const lines: string[] = [];
      const log = console.log;
      console.log = (line: string) => lines.push(line);
      try {
        const result = await authorize({ headers: { authorization: `Bearer ${token}` }, requestContext: { requestId: "rs256" } });
        const reason = lines.map((l) => JSON.parse(l)).find((l) => l.message === "denied")?.reason;
        return { allowed: result.isAuthorized, ...(reason ? { reason: String(reason).replace(/^access token rejected: /, "") } : {}) };
      } finally {
        console.log = log;
      }
    }

    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({ iss: config.issuer, aud: "default", sub: "u-1", email: "a@example.com", sid: "s-1", jti: "j-1", iat: now(), nbf: now(), exp: now() + 600 });
    const forge = (header: object, signWith: (input: string) => Buffer) => {
      const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims()))}`;
      return `${input}.${base64url(signWith(input))}`;
    };
    const rs256 = (privateKey: KeyObject) => (input: string) => sign("sha256", Buffer.from(input), privateKey);
    const es256 = (privateKey: KeyObject) => (input: string) => sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
    const hmac = (secret: string | Buffer) => (input: string) => createHmac("sha256", secret).update(input).digest();
    const rsaKid = () => key.verification.kid;
    const header = (alg: string, kid = rsaKid()) => ({ alg, typ: "at+jwt", kid });

    it("allows RS256 tokens of the RSA key and ES256 tokens of the EC key, each passing its claims on", async () => {
      expect(await decide(await signToken(localSigner(key.privateKey)))).to.deep.equal({ allowed: true });
      expect(await decide(await signToken(localSigner(ec.privateKey)))).to.deep.equal({ allowed: true });
      const result = await authorize({ headers: bearer(await signToken(localSigner(key.privateKey))) });
      expect(result.context).to.include({ sub: "u-1", sid: "s-1", tenant: "default" });
    });

    const pem = key.publicKey.export({ format: "pem", type: "spki" });
    const der = key.publicKey.export({ format: "der", type: "spki" });
    const attacks: Array<[string, () => string, string]> = [
      ["HS256 keyed with the RSA PEM public key", () => forge(header("HS256"), hmac(pem)), "invalid algorithm"],
      ["HS256 keyed with the RSA DER public key", () => forge(header("HS256"), hmac(der)), "invalid algorithm"],
      ["HS256 keyed with the RSA modulus (the JWK's n)", () => forge(header("HS256"), hmac(Buffer.from(key.verification.jwk.kty === "RSA" ? key.verification.jwk.n : "", "base64url"))), "invalid algorithm"],
      ["an RS256 header on the EC kid, RSA-signed", () => forge(header("RS256", ec.verification.kid), rs256(key.privateKey)), "invalid algorithm"],
      ["an ES256 header on the RSA kid, EC-signed", () => forge(header("ES256"), es256(ec.privateKey)), "invalid algorithm"],
      ["PS256 on the RSA kid, PSS-signed by the RSA key", () => forge(header("PS256"), (i) => sign("sha256", Buffer.from(i), { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING })), "invalid algorithm"],
      ["RS512 on the RSA kid, signed by the RSA key", () => forge(header("RS512"), (i) => sign("sha512", Buffer.from(i), key.privateKey)), "invalid algorithm"],
      ["alg none on the RSA kid, signature stripped", () => forge(header("none"), () => Buffer.alloc(0)), "signature missing"],
      ["RS256 by another RSA key under the configured kid", () => forge(header("RS256"), rs256(attacker.privateKey)), "invalid signature"],
      ["RS256 by another RSA key under its own kid", () => forge(header("RS256", attacker.verification.kid), rs256(attacker.privateKey)), `unknown kid ${attacker.verification.kid}`],
      ["an all-zero 256-byte RSA signature", () => forge(header("RS256"), () => Buffer.alloc(256)), "invalid signature"],
      ["a truncated RSA signature", () => forge(header("RS256"), (i) => rs256(key.privateKey)(i).subarray(1)), "invalid signature"],
    ];
    for (const [name, build, reason] of attacks) {
      it(`refuses ${name}: "${reason}"`, async () => {
        expect(await decide(build())).to.deep.equal({ allowed: false, reason });
      });
    }

    it("the jwks bundle (as deployed) publishes the RSA key as kty RSA beside the EC key", async () => {
      const jwks = (await bundles("lambda")).find((b) => b.name === "jwks")!;
      const restoreEnv = setEnv({ JWT_PUBLIC_KEYS: `${spkiOf(ec.publicKey)},${spkiOf(key.publicKey)}`, LOG_LEVEL: "warn" });
      try {
        const { handler } = createRequire(import.meta.url)(join(jwks.dir, "index.js")) as { handler: (event: unknown) => Promise<{ statusCode: number; body: string }> };
        const result = await handler({ headers: {}, isBase64Encoded: false, requestContext: { requestId: "j", http: { method: "GET", path: "/.well-known/jwks.json", sourceIp: "198.51.100.1" } } });
        expect(result.statusCode).to.equal(200);
        expect(JSON.parse(result.body).keys).to.deep.equal([ec.verification.jwk, key.verification.jwk]);
      } finally {
        restoreEnv();
      }
    });
  });

  /** Register and sign in through the runtime; returns the access token. */
  async function signIn(rt: InProcessRuntime, email: string): Promise<string> {
    const password = "correct horse battery staple";
    expect((await rt.call("POST", "/auth/register", { email, password })).status).to.equal(201);
    const login = await rt.call("POST", "/auth/login", { email, password });
    expect(login.status, login.text).to.equal(200);
    return login.json.access_token as string;
  }

  for (const alg of ["RS256", "ES256"] as const) {
    describe(`the local runtime signing ${alg}, checked by jose through the discovered jwks_uri`, () => {
      let rt: InProcessRuntime;
      let dataDir: string;
      // The issuer is the runtime's own URL, so the discovery document and its jwks_uri are reachable.
      let issuer: string;
      before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), `rs256-runtime-${alg}-`));
        const port = await freeLoopbackPort();
        issuer = `http://127.0.0.1:${port}`;
        rt = await startInProcessRuntime({ ISSUER: issuer }, { dataDir, signingAlgorithm: alg, port });
      });
      after(async () => {
        await rt?.close();
        rmSync(dataDir, { recursive: true, force: true });
      });

      it(`signs with its own ${alg} key file, and jose verifies the token with the published key`, async () => {
        const token = await signIn(rt, `jose-${alg.toLowerCase()}@example.com`);
        expect(existsSync(join(dataDir, alg === "RS256" ? "signing-key-rs256.pem" : "signing-key.pem"))).to.equal(true);
        expect(existsSync(join(dataDir, alg === "RS256" ? "signing-key.pem" : "signing-key-rs256.pem")), "no key of the other algorithm").to.equal(false);
        const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
        expect(discovery.issuer).to.equal(issuer);
        expect(discovery.id_token_signing_alg_values_supported).to.deep.equal([alg]);
        const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
        const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience: "default", typ: "at+jwt", algorithms: [alg] });
        expect(protectedHeader.alg).to.equal(alg);
        expect(payload).to.include({ iss: issuer, aud: "default", email: `jose-${alg.toLowerCase()}@example.com` });
        // Told to expect the other algorithm, jose refuses it: the header cannot choose.
        const other = alg === "RS256" ? "ES256" : "RS256";
        const refused = await jwtVerify(token, jwks, { algorithms: [other] }).catch((error: { code?: string }) => error.code);
        expect(refused).to.equal("ERR_JOSE_ALG_NOT_ALLOWED");
      });

      it("jsonwebtoken verifies it with the JWK of its kid, and the authorizer lets it through to /me", async () => {
        const token = await signIn(rt, `jsonwebtoken-${alg.toLowerCase()}@example.com`);
        const { keys } = (await rt.call("GET", "/.well-known/jwks.json")).json as { keys: Array<{ kid: string; kty: string; alg: string }> };
        expect(keys.map((k) => [k.kty, k.alg])).to.deep.equal([[alg === "RS256" ? "RSA" : "EC", alg]]);
        const { kid } = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
        const publicKey = createPublicKey({ key: keys.find((k) => k.kid === kid)! as never, format: "jwk" });
        const claims = jwt.verify(token, publicKey, { algorithms: [alg], issuer, audience: "default" }) as jwt.JwtPayload;
        expect(claims.email).to.equal(`jsonwebtoken-${alg.toLowerCase()}@example.com`);
        const me = await rt.call("GET", "/me", undefined, bearer(token));
        expect(me.status, me.text).to.equal(200);
        expect(me.json.email).to.equal(`jsonwebtoken-${alg.toLowerCase()}@example.com`);
      });
    });
  }

  it("`npm start -- --rs256` says so and publishes an RSA key", async () => {
    const runtime = await spawnLocalRuntime({}, ["--memory", "--rs256"]);
    try {
      expect(runtime.output()).to.include("signing: RS256\n");
      const { keys } = (await (await fetch(`${runtime.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kty: string; alg: string }> };
      expect(keys.map((k) => `${k.kty} ${k.alg}`)).to.deep.equal(["RSA RS256"]);
    } finally {
      expect(await runtime.stop()).to.equal(0);
    }
  });
});
