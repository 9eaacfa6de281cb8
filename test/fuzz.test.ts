/**
 * Property-based fuzzing (fast-check) of every route in the route table, through the real
 * bundles, the API Gateway stand-in and dynalite, in process. Properties: never a 5xx;
 * every refusal carries the OAuth error body with a known code (RFC 6749 §5.2), or is one
 * of API Gateway's own {"message"} answers; a refused request changes nothing in the
 * table; junk tokens never pass the authorizer; forged secrets never revoke a session.
 *
 * Runs are deterministic: each property's seed is FUZZ_SEED (default below) plus a hash of
 * its title, so a failure recurs on every run and prints its shrunk request.
 * `FUZZ_SEED=<n> npm test` explores other inputs.
 */
import { expect } from "chai";
import fc from "fast-check";
import { issueAccessToken } from "../handlers/lib/domain/access-token.js";
import type { Signer } from "../handlers/lib/domain/signer.js";
import { routes, type Route } from "../handlers/routes.js";
import { base64urlText, junkAuthorization, junkBody, junkHeaders, junkToken, oddText } from "./helpers/arbitraries.js";
import { testConfig } from "./helpers/config.js";
import { durableState, startInProcessRuntime, type InProcessRuntime, type RawRequest, type Reply } from "./helpers/in-process-runtime.js";
import { p256 } from "./helpers/keys.js";
import { withForgedSecret } from "./helpers/refresh-tokens.js";
import { claimsOf } from "./helpers/access-tokens.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
/** One seed per property, so properties with the same arbitraries do not send the same requests. */
const seedFor = (title: string) => [...title].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) | 0, SEED);
/** Runs per property: together about 1,500 requests, well under a minute here. */
const RUNS = { publicRoute: 250, bearerRoute: 150, otherMethods: 60, wrongPasswords: 40, forgedSecrets: 100 };

/** The OAuth error codes this service answers with, and the statuses each may carry (DESIGN.md, HTTP contract). */
const OAUTH_ERRORS: Readonly<Record<string, readonly number[]>> = {
  invalid_request: [400, 415],
  // 400 from the token endpoint (RFC 6749 §5.2), 401 from the /auth/* routes.
  invalid_grant: [400, 401],
  unsupported_grant_type: [400],
  invalid_scope: [400],
  invalid_token: [401],
  user_exists: [409],
  email_not_verified: [403],
  access_denied: [403],
  too_many_attempts: [429],
  mfa_already_enabled: [409],
  mfa_not_enabled: [409],
  mfa_not_pending: [409],
};
/** API Gateway's own answers carry {"message"}: exactly these. */
const GATEWAY_ANSWERS: Readonly<Record<number, string>> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 413: "Request Entity Too Large" };

const describeExchange = (request: RawRequest, reply: Reply, rt: InProcessRuntime) =>
  `${request.method} ${request.path} -> ${reply.status} ${reply.text.slice(0, 300)}\nlast log lines:\n${rt.console.slice(-3).join("\n")}`;

/** The properties every answer must have. */
function expectWellFormedAnswer(request: RawRequest, reply: Reply, rt: InProcessRuntime): void {
  const context = describeExchange(request, reply, rt);
  expect(reply.status, `never a 5xx: ${context}`).to.be.below(500);
  expect(reply.text, `no internals in a body: ${context}`).not.to.match(/\bat \S+ \(|node_modules|\.ts:\d+|Error:/);
  if (reply.status < 400) return;
  const body = reply.json;
  expect(body, `a JSON object body: ${context}`).to.be.an("object");
  if ("message" in body) {
    expect(body, `API Gateway's own answer: ${context}`).to.deep.equal({ message: GATEWAY_ANSWERS[reply.status] });
    return;
  }
  expect(Object.keys(body).sort(), `the OAuth error body: ${context}`).to.deep.equal(["error", "error_description"]);
  expect(OAUTH_ERRORS, `a known error code: ${context}`).to.have.property(body.error);
  expect(OAUTH_ERRORS[body.error], `status ${reply.status} fits ${body.error}: ${context}`).to.include(reply.status);
  expect(body.error_description, context).to.be.a("string").and.not.equal("");
  if (reply.status === 429) expect(reply.headers["retry-after"], `429 carries Retry-After: ${context}`).to.match(/^\d+$/);
}

/** A loopback source address (127.x.y.z) per request, so per-source limits see many clients. */
const sourceAddress = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map((p) => `127.${p.join(".")}`);
const query = fc.option(oddText.map((text) => `?q=${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ""))}`), { nil: "" });

describe("fuzz: random requests at every route (fast-check, real bundles in process)", function () {
  this.timeout(120_000);
  let rt: InProcessRuntime;
  /** Accounts with a live session, for the valid-shaped runs. */
  const accounts: Array<{ email: string; password: string; access: string; refresh: string }> = [];
  /** Tokens that look right but must not pass: signed by another key (with the real kid too), or a real one altered. */
  const forgedAccessTokens: string[] = [];

  before(async () => {
    rt = await startInProcessRuntime();
    for (let i = 0; i < 3; i++) {
      const credentials = { email: `fuzz${i}@example.com`, password: `correct horse battery ${i}` };
      expect((await rt.call("POST", "/auth/register", credentials)).status).to.equal(201);
      const login = await rt.call("POST", "/auth/login", credentials);
      expect(login.status).to.equal(200);
      accounts.push({ ...credentials, access: login.json.access_token, refresh: login.json.refresh_token });
    }
    const realKid: string = (await rt.call("GET", "/.well-known/jwks.json")).json.keys[0].kid;
    const other = p256().signer;
    const sameKid: Signer = { alg: other.alg, kid: realKid, sign: other.sign };
    // The runtime's own issuer (a fixed local name, not its URL), so a forgery differs only in its key.
    const { iss } = claimsOf(accounts[0].access);
    const config = testConfig({ issuer: iss, tenants: ["default"] });
    for (const signer of [other, sameKid]) {
      for (const account of accounts) {
        const claims = claimsOf(account.access);
        const subject = { userId: claims.sub, email: claims.email, tenant: claims.aud, sid: claims.sid, emailVerified: claims.email_verified };
        forgedAccessTokens.push((await issueAccessToken(subject, { signer, config, now: Date.now() })).token);
      }
    }
    // A real token with one character changed; the last character of a part is left alone,
    // as its spare bits may not change the decoded bytes.
    forgedAccessTokens.push(
      ...accounts.flatMap((account) =>
        account.access.split(".").map((part, index, parts) => {
          const altered = [...parts];
          altered[index] = part.slice(0, 1) + (part[1] === "A" ? "B" : "A") + part.slice(2);
          return altered.join(".");
        }),
      ),
    );
  });
  after(() => rt?.close());

  /** Runs `property` on each generated request; a refused request must leave the table as it was. */
  async function fuzz(title: string, requests: fc.Arbitrary<RawRequest>, numRuns: number, check: (request: RawRequest, reply: Reply) => void) {
    let state = durableState(await rt.scan());
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const before = state;
        const reply = await rt.send(request);
        // Taken before any check, so that while shrinking each run is judged against its own start.
        state = durableState(await rt.scan());
        expectWellFormedAnswer(request, reply, rt);
        check(request, reply);
        if (reply.status >= 400) expect(state, `a refusal changes nothing: ${describeExchange(request, reply, rt)}`).to.deep.equal(before);
      }),
      { seed: seedFor(title), numRuns },
    );
  }

  for (const route of routes.filter((r) => r.auth === "none")) {
    it(`${route.method} ${route.path}: random bodies, content types and headers`, async function () {
      const requests = fc.record({
        method: fc.constant(route.method),
        path: query.map((q) => route.path + q),
        headers: junkHeaders(rt.url),
        body: junkBody,
        from: sourceAddress,
      });
      await fuzz(this.test!.title, requests, RUNS.publicRoute, () => {});
    });
  }

  for (const route of routes.filter((r) => r.auth !== "none")) {
    it(`${route.method} ${route.path}: junk and forged bearer tokens get API Gateway's 401/403`, async function () {
      const tokens = fc.oneof(junkToken(rt.url), fc.constantFrom(...forgedAccessTokens));
      const requests = fc.record({
        method: fc.constant(route.method),
        path: fc.constant(route.path),
        headers: fc.tuple(junkHeaders(rt.url), junkAuthorization(rt.url, tokens)).map(([headers, authorization]) => ({ ...headers, authorization })),
        body: junkBody,
        from: sourceAddress,
      });
      await fuzz(this.test!.title, requests, RUNS.bearerRoute, (request, reply) => {
        expect(reply.status, `the authorizer refuses: ${describeExchange(request, reply, rt)}`).to.be.oneOf([401, 403]);
        expect(reply.json, "API Gateway's answer, not the function's").to.have.property("message");
      });
    });
  }

  it("other methods on the routes' paths get API Gateway's 404", async function () {
    const requests = fc
      .record({
        method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
        path: fc.constantFrom(...routes.map((r) => r.path)),
        headers: junkHeaders(rt.url),
        body: junkBody,
      })
      .filter((request) => !routes.some((r: Route) => r.method === request.method && r.path === request.path));
    await fuzz(this.test!.title, requests, RUNS.otherMethods, (request, reply) => {
      expect(reply.status, describeExchange(request, reply, rt)).to.equal(404);
    });
  });

  describe("valid-shaped but wrong values", () => {
    /** Every account's refresh token still refreshes: no session was revoked. */
    async function expectSessionsLive() {
      for (const account of accounts) {
        const reply = await rt.call("POST", "/auth/refresh", { refresh_token: account.refresh });
        expect(reply.status, `${account.email}'s session survived: ${reply.text}`).to.equal(200);
        account.refresh = reply.json.refresh_token;
      }
    }
    const sessions = async () => Object.entries(durableState(await rt.scan())).filter(([key]) => key.startsWith("SESSION#"));

    it("real emails with random passwords: never a 5xx, no session written or revoked", async function () {
      const before = await sessions();
      const requests = fc
        .record({
          account: fc.constantFrom(...accounts),
          spelling: fc.constantFrom((e: string) => e, (e: string) => e.toUpperCase(), (e: string) => ` ${e}\t`),
          password: fc.oneof(oddText, fc.string({ unit: "grapheme", minLength: 12, maxLength: 40 })),
          path: fc.constantFrom("/auth/login", "/auth/register"),
          from: sourceAddress,
        })
        .filter(({ account, password }) => password.normalize("NFKC") !== account.password)
        .map(({ account, spelling, password, path, from }) => ({
          method: "POST",
          path,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: spelling(account.email), password }),
          from,
        }));
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const reply = await rt.send(request);
          expectWellFormedAnswer(request, reply, rt);
          expect(reply.status, describeExchange(request, reply, rt)).to.be.within(400, 499);
        }),
        { seed: seedFor(this.test!.title), numRuns: RUNS.wrongPasswords },
      );
      expect(await sessions()).to.deep.equal(before);
      await expectSessionsLive();
    });

    it("real session ids with random secrets, in the body or the cookie: never a 5xx, nothing revoked or written", async function () {
      const before = durableState(await rt.scan());
      const requests = fc
        .record({ account: fc.constantFrom(...accounts), random: base64urlText(128, 128), cookie: fc.boolean(), from: sourceAddress })
        .map(({ account, random, cookie, from }) => ({ forged: withForgedSecret(account.refresh, random), real: account.refresh, cookie, from }))
        .filter(({ forged, real }) => forged !== real)
        .map(({ forged, cookie, from }): RawRequest =>
          cookie
            ? { method: "POST", path: "/auth/refresh", headers: { cookie: `refresh_token=${forged}` }, from }
            : { method: "POST", path: "/auth/refresh", headers: { "content-type": "application/json" }, body: JSON.stringify({ refresh_token: forged }), from },
        );
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const reply = await rt.send(request);
          expectWellFormedAnswer(request, reply, rt);
          expect(reply.status, describeExchange(request, reply, rt)).to.be.within(400, 499);
        }),
        { seed: seedFor(this.test!.title), numRuns: RUNS.forgedSecrets },
      );
      expect(durableState(await rt.scan()), "a forged secret writes nothing").to.deep.equal(before);
      await expectSessionsLive();
    });
  });
});
