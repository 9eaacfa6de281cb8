/**
 * The authorizer's hot path against the verification limit and the peer libraries, in one
 * process and one run: each round times every candidate on the same tokens (in a shuffled
 * order), and each ratio is taken within its round against raw `node:crypto` verify.
 */
import { createRequire } from "node:module";
import { createPublicKey, generateKeyPairSync, verify as verifySignature, type KeyObject } from "node:crypto";
import { join } from "node:path";
import { createVerifier } from "fast-jwt";
import { JwtVerifier } from "aws-jwt-verify";
import { jwtVerify } from "jose";
import jwt from "jsonwebtoken";
import type { AuthorizerEvent, AuthorizerResult } from "../../handlers/authorizer.js";
import { issueAccessToken } from "../../handlers/lib/domain/access-token.js";
import { verificationKey } from "../../handlers/lib/domain/keys.js";
import { localSigner } from "../../handlers/lib/adapters/local-signer.js";
import { loadConfig } from "../../handlers/lib/runtime/config.js";
import { spkiOf } from "../../handlers/lib/domain/keys.js";
import { median, shuffled } from "./stats.js";

export interface VerifyOptions {
  rounds: number;
  /** Verifications per candidate per round. */
  batch: number;
  /** The built authorizer bundle's folder (index.js). */
  authorizerDir: string;
}

export interface VerifyRow {
  name: string;
  /** Median µs per verification across rounds. */
  microseconds: number;
  /** Median across rounds of (this candidate's time / raw verify's time in the same round). */
  ratio: number;
}

type Check = (token: string) => unknown;
interface Candidate {
  name: string;
  verify: (token: string) => unknown | Promise<unknown>;
  async: boolean;
  /** valid: must accept every token; rejected: must refuse every token. */
  tokens: "distinct" | "repeated" | "tampered";
}

const ISSUER = "https://auth.bench.example";
const TENANT = "bench";

/** ES256 with parse and the claim checks every candidate makes: the floor the others are measured against. */
function rawVerifier(key: KeyObject, now: () => number): Check {
  return (token) => {
    const [header, payload, signature] = token.split(".");
    if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "ES256") throw new Error("alg");
    const ok = verifySignature("sha256", Buffer.from(`${header}.${payload}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
    if (!ok) throw new Error("signature");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const seconds = now() / 1000;
    if (claims.iss !== ISSUER || claims.aud !== TENANT || claims.exp <= seconds || claims.nbf > seconds + 60) throw new Error("claims");
    return claims;
  };
}

async function tokens(count: number): Promise<{ key: KeyObject; valid: string[]; tampered: string[] }> {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signer = localSigner(privateKey);
  const config = loadConfig({ ISSUER, TENANTS: TENANT });
  const valid: string[] = [];
  for (let i = 0; i < count; i++) {
    const subject = { userId: `user-${i}`, email: `user${i}@example.com`, tenant: TENANT, sid: `sid-${i}`, emailVerified: true };
    valid.push((await issueAccessToken(subject, { signer, config, now: Date.now() })).token);
  }
  // One flipped signature bit: well-formed, so every candidate pays the full verification to refuse it.
  const tampered = valid.map((token) => {
    const signature = Buffer.from(token.slice(token.lastIndexOf(".") + 1), "base64url");
    signature[10] ^= 1;
    return `${token.slice(0, token.lastIndexOf(".") + 1)}${signature.toString("base64url")}`;
  });
  return { key: createPublicKey(privateKey), valid, tampered };
}

function loadAuthorizer(dir: string, publicKey: KeyObject): (event: AuthorizerEvent) => Promise<AuthorizerResult> {
  // The bundle reads its configuration at load, as a cold start does. Denials log at info;
  // warn keeps the measurement about verification (and the terminal readable).
  Object.assign(process.env, { ISSUER, TENANTS: TENANT, JWT_PUBLIC_KEYS: spkiOf(publicKey), LOG_LEVEL: "warn" });
  const file = join(dir, "index.js");
  const require = createRequire(import.meta.url);
  delete require.cache[file];
  return (require(file) as { handler: (event: AuthorizerEvent) => Promise<AuthorizerResult> }).handler;
}

export async function benchVerify(options: VerifyOptions): Promise<{ valid: VerifyRow[]; rejected: VerifyRow[]; cached: VerifyRow[] }> {
  // Every verification of a fresh token gets its own: the warm authorizer remembers those it verified.
  const pool = (options.rounds + 1) * options.batch;
  const { key, valid, tampered } = await tokens(pool);
  const jwk = verificationKey(key).jwk;
  const now = () => Date.now();
  const authorizer = loadAuthorizer(options.authorizerDir, key);
  const fastJwt = createVerifier({ key: key.export({ format: "pem", type: "spki" }).toString(), algorithms: ["ES256"], allowedIss: ISSUER, allowedAud: TENANT, cache: false });
  const awsVerifier = JwtVerifier.create({ issuer: ISSUER, audience: TENANT, jwksUri: `${ISSUER}/.well-known/jwks.json` });
  awsVerifier.cacheJwks({ keys: [jwk as never] });
  const authorize = async (token: string) => {
    const result = await authorizer({ headers: { authorization: `Bearer ${token}` } });
    if (!result.isAuthorized) throw new Error("denied");
    return result;
  };

  const library = (name: string, verify: Candidate["verify"], async: boolean): Candidate[] => [
    { name, verify, async, tokens: "distinct" },
    { name, verify, async, tokens: "tampered" },
  ];
  const candidates: Candidate[] = [
    ...library("raw node:crypto verify (the limit)", rawVerifier(key, now), false),
    ...library("this authorizer's handler", authorize, true),
    ...library("fast-jwt", (token) => fastJwt(token), false),
    ...library("jsonwebtoken (cached KeyObject)", (token) => jwt.verify(token, key, { algorithms: ["ES256"], issuer: ISSUER, audience: TENANT }), false),
    ...library("aws-jwt-verify (cached JWKS)", (token) => awsVerifier.verifySync(token), false),
    ...library("jose", (token) => jwtVerify(token, key, { issuer: ISSUER, audience: TENANT, algorithms: ["ES256"] }), true),
    { name: "this authorizer's handler, repeated token", verify: authorize, async: true, tokens: "repeated" },
  ];

  // Every candidate must accept the valid tokens and refuse the tampered ones, or its time means nothing.
  for (const candidate of candidates) {
    const token = candidate.tokens === "tampered" ? tampered[0] : valid[0];
    let accepted = true;
    try {
      await candidate.verify(token);
    } catch {
      accepted = false;
    }
    if (accepted !== (candidate.tokens !== "tampered")) throw new Error(`${candidate.name} ${accepted ? "accepted a tampered" : "refused a valid"} token`);
  }

  const timings = new Map<Candidate, number[]>(candidates.map((c) => [c, []]));
  let offset = 0;
  for (let round = 0; round <= options.rounds; round++) {
    for (const candidate of shuffled(candidates)) {
      const source = candidate.tokens === "tampered" ? tampered : valid;
      const start = performance.now();
      for (let i = 0; i < options.batch; i++) {
        const token = candidate.tokens === "repeated" ? valid[0] : source[(offset + i) % pool];
        try {
          if (candidate.async) await candidate.verify(token);
          else candidate.verify(token);
        } catch {
          // tampered tokens throw by design; valid ones were checked above
        }
      }
      // Round 0 warms every candidate up (JIT, caches) and is not counted.
      if (round > 0) timings.get(candidate)!.push(((performance.now() - start) * 1000) / options.batch);
    }
    offset += options.batch;
  }

  const rows = (kind: Candidate["tokens"][]): VerifyRow[] => {
    const baseline = candidates.find((c) => c.name.startsWith("raw") && c.tokens === (kind[0] === "tampered" ? "tampered" : "distinct"))!;
    const base = timings.get(baseline)!;
    return candidates
      .filter((c) => kind.includes(c.tokens))
      .map((c) => {
        const own = timings.get(c)!;
        return { name: c.name, microseconds: median(own), ratio: median(own.map((t, i) => t / base[i])) };
      });
  };
  return { valid: rows(["distinct"]), rejected: rows(["tampered"]), cached: rows(["repeated"]) };
}
