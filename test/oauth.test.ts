/**
 * The OAuth endpoints through the real bundles (in-process runtime, dynalite): discovery
 * (RFC 8414, OpenID Connect Discovery 1.0), the token endpoint's refresh grant (RFC 6749 §6,
 * errors §5.2) and revocation (RFC 7009), plus the form parser and the discovery document
 * on their own. The runtime's issuer is its own URL here (a fixed port chosen first), so
 * every URL the document names can be followed.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { ACCESS_TOKEN_CLAIMS, discoveryDocument } from "../handlers/lib/domain/discovery.js";
import { InvalidRequestError, UnsupportedMediaTypeError } from "../handlers/lib/domain/errors.js";
import type { VerificationKey } from "../handlers/lib/domain/keys.js";
import { verificationKey } from "../handlers/lib/domain/keys.js";
import type { HttpEvent } from "../handlers/lib/http/event.js";
import { formBody } from "../handlers/lib/http/form-body.js";
import { bearer, claimsOf } from "./helpers/access-tokens.js";
import { freeLoopbackPort } from "./helpers/free-port.js";
import { startInProcessRuntime, type InProcessRuntime, type Reply } from "./helpers/in-process-runtime.js";
import { p256 } from "./helpers/keys.js";
import { withForgedSecret } from "./helpers/refresh-tokens.js";
import { parseSetCookie, REFRESH_COOKIE_ATTRIBUTES } from "./helpers/set-cookie.js";

const FORM = "application/x-www-form-urlencoded";
const FAILURE_LIMIT = 4;
const TOKEN_RESPONSE_FIELDS = ["access_token", "expires_in", "refresh_token", "token_type"];

const formEvent = (body: string, contentType = FORM, isBase64Encoded = false): HttpEvent => ({
  headers: { "content-type": contentType },
  body,
  isBase64Encoded,
  requestContext: { requestId: "r", http: { method: "POST", path: "/oauth/token" } },
});

describe("form bodies (http/form-body.ts)", () => {
  it("parses percent-encoding and '+' as space, and treats an empty value as omitted (RFC 6749 §3.2)", () => {
    const form = formBody(formEvent("a=x%20y+z&b=&c&d=%E2%82%AC&&e=1"));
    expect([form.get("a"), form.get("b"), form.get("c"), form.get("d"), form.get("e"), form.get("f")]).to.deep.equal(["x y z", undefined, undefined, "€", "1", undefined]);
  });

  it("reads a body API Gateway base64-encoded", () => {
    expect(formBody(formEvent(Buffer.from("grant_type=refresh_token").toString("base64"), FORM, true)).get("grant_type")).to.equal("refresh_token");
  });

  it("keeps __proto__ and constructor as plain names", () => {
    const form = formBody(formEvent("__proto__=x&constructor=y"));
    expect([form.get("__proto__"), form.get("constructor"), form.get("toString")]).to.deep.equal(["x", "y", undefined]);
  });

  it("refuses a parameter sent twice, however its name is spelled, naming it", () => {
    for (const body of ["grant_type=a&grant_type=a", "grant_type=a&grant%5Ftype=b", "token=&token=x", "x=1&y=2&x"]) {
      expect(() => formBody(formEvent(body)), body).to.throw(InvalidRequestError, /must not be sent more than once/);
    }
    expect(() => formBody(formEvent("grant_type=a&grant_type=b"))).to.throw('"grant_type" must not be sent more than once');
  });

  it("refuses bad percent-encoding and bytes that are not UTF-8", () => {
    for (const body of ["a=%zz", "a=%", "a=%E2%82", "a=%FF", "a=%ED%A0%80"]) expect(() => formBody(formEvent(body)), body).to.throw(InvalidRequestError, /not valid/);
    expect(() => formBody(formEvent(Buffer.from([0x61, 0x3d, 0xff]).toString("base64"), FORM, true))).to.throw(InvalidRequestError, /not valid/);
  });

  it("takes only its media type (any case, a UTF-8 charset allowed), else 415", () => {
    expect(formBody(formEvent("a=1", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")).get("a")).to.equal("1");
    for (const type of ["application/json", "text/plain", "multipart/form-data; boundary=x", "", `${FORM}; charset=iso-8859-1`, `${FORM}x`]) {
      expect(() => formBody(formEvent("a=1", type)), type).to.throw(UnsupportedMediaTypeError);
    }
  });

  it("refuses a body over 16 KiB", () => {
    expect(() => formBody(formEvent(`a=${"b".repeat(16 * 1024)}`))).to.throw(InvalidRequestError, /at most 16384 bytes/);
    expect(formBody(formEvent(`a=${"b".repeat(16 * 1024 - 2)}`)).get("a")).to.have.length(16 * 1024 - 2);
  });
});

describe("discovery document (domain/discovery.ts)", () => {
  const paths = { jwks: "/.well-known/jwks.json", token: "/oauth/token", revocation: "/oauth/revoke" };
  const es256 = verificationKey(p256().publicKey);
  // RS256 keys arrive with another helper's work: the document lists whatever the keys say.
  const rs256 = { ...es256, alg: "RS256" } as unknown as VerificationKey;

  it("lists each key's algorithm once, signing key first", () => {
    expect(discoveryDocument("https://a.example", [es256, verificationKey(p256().publicKey)], paths).id_token_signing_alg_values_supported).to.deep.equal(["ES256"]);
    expect(discoveryDocument("https://a.example", [rs256, es256, rs256], paths).id_token_signing_alg_values_supported).to.deep.equal(["RS256", "ES256"]);
  });

  it("keeps the issuer exactly and puts every URL under it", () => {
    const doc = discoveryDocument("https://auth.example.com/", [es256], paths);
    expect(doc.issuer).to.equal("https://auth.example.com/");
    expect([doc.jwks_uri, doc.token_endpoint, doc.revocation_endpoint]).to.deep.equal([
      "https://auth.example.com/.well-known/jwks.json",
      "https://auth.example.com/oauth/token",
      "https://auth.example.com/oauth/revoke",
    ]);
  });
});

describe("OAuth endpoints through the real bundles", function () {
  this.timeout(120_000);
  let rt: InProcessRuntime;
  let issuer: string;
  let n = 0;
  /** A fresh loopback address per request, so deliberate failures do not add up in one per-source window. */
  const nextAddress = () => `127.0.${++n % 250}.${1 + Math.floor(n / 250)}`;

  const form = (path: string, body: string | undefined, headers: Record<string, string> = {}, from = nextAddress()) =>
    rt.send({ method: "POST", path, headers: body === undefined ? headers : { "content-type": FORM, ...headers }, body, from });
  const grant = (refreshToken: string, from?: string) => form("/oauth/token", `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`, {}, from);
  const revoke = (body: string | undefined, headers: Record<string, string> = {}, path = "/oauth/revoke", from?: string) => form(path, body, headers, from);
  const refreshJson = (refreshToken: string, from = nextAddress()) =>
    rt.send({ method: "POST", path: "/auth/refresh", headers: { "content-type": "application/json" }, body: JSON.stringify({ refresh_token: refreshToken }), from });

  let accounts = 0;
  /** A new account's first login: its token pair. */
  async function signIn(): Promise<{ access: string; refresh: string }> {
    const credentials = { email: `oauth${++accounts}@example.com`, password: "correct horse battery staple" };
    const json = (path: string) => rt.send({ method: "POST", path, headers: { "content-type": "application/json" }, body: JSON.stringify(credentials), from: nextAddress() });
    expect((await json("/auth/register")).status).to.equal(201);
    const login = await json("/auth/login");
    expect(login.status, login.text).to.equal(200);
    return { access: login.json.access_token, refresh: login.json.refresh_token };
  }

  /** The session is gone: both refresh endpoints refuse its token. */
  async function expectEnded(refreshToken: string, why: string) {
    const viaAuth = await refreshJson(refreshToken);
    expect(viaAuth.status, `/auth/refresh after ${why}: ${viaAuth.text}`).to.equal(401);
    expect(viaAuth.json.error).to.equal("invalid_grant");
    const viaOauth = await grant(refreshToken);
    expect(viaOauth.status, `/oauth/token after ${why}: ${viaOauth.text}`).to.equal(400);
    expect(viaOauth.json.error).to.equal("invalid_grant");
  }

  /** RFC 6749 §5.2's body, not cacheable. */
  function expectOAuthError(reply: Reply, status: number, error: string, mentions?: string) {
    expect(reply.status, reply.text).to.equal(status);
    expect(Object.keys(reply.json).sort()).to.deep.equal(["error", "error_description"]);
    expect(reply.json.error).to.equal(error);
    if (mentions) expect(reply.json.error_description).to.include(mentions);
    expect(reply.headers["cache-control"]).to.equal("no-store");
  }

  before(async () => {
    const port = await freeLoopbackPort();
    issuer = `http://127.0.0.1:${port}`;
    rt = await startInProcessRuntime({ ISSUER: issuer, SOURCE_FAILED_LOGINS_PER_WINDOW: String(FAILURE_LIMIT) }, { port });
    expect(rt.url).to.equal(issuer);
  });
  after(() => rt?.close());

  describe("discovery", () => {
    let doc: Record<string, any>;
    before(async () => {
      const reply = await rt.call("GET", "/.well-known/openid-configuration");
      expect(reply.status, reply.text).to.equal(200);
      doc = reply.json;
    });

    it("serves one document at both well-known paths, cacheable until the next deploy", async () => {
      for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]) {
        const reply = await rt.call("GET", path);
        expect(reply.status, path).to.equal(200);
        expect(reply.headers["content-type"], path).to.equal("application/json");
        expect(reply.headers["cache-control"], path).to.equal("public, max-age=3600");
        expect(reply.json, path).to.deep.equal(doc);
      }
    });

    it("names as issuer exactly the iss of the tokens login and the token endpoint sign", async () => {
      const { access, refresh } = await signIn();
      const granted = await grant(refresh);
      expect(doc.issuer).to.equal(issuer);
      expect(claimsOf(access).iss).to.equal(doc.issuer);
      expect(claimsOf(granted.json.access_token).iss).to.equal(doc.issuer);
    });

    it("says what applies and leaves out what does not", () => {
      expect(doc).to.deep.include({
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        token_endpoint: `${issuer}/oauth/token`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
        grant_types_supported: ["refresh_token"],
        token_endpoint_auth_methods_supported: ["none"],
        revocation_endpoint_auth_methods_supported: ["none"],
        response_types_supported: [],
        subject_types_supported: ["public"],
      });
      for (const absent of ["authorization_endpoint", "userinfo_endpoint", "scopes_supported", "token_endpoint_auth_signing_alg_values_supported"]) {
        expect(doc, absent).not.to.have.property(absent);
      }
    });

    it("lists the algorithms of the published keys, and exactly the claims a token carries", async () => {
      const jwks = await rt.call("GET", "/.well-known/jwks.json");
      expect(doc.id_token_signing_alg_values_supported).to.deep.equal([...new Set(jwks.json.keys.map((key: { alg: string }) => key.alg))]);
      const { access } = await signIn();
      expect([...doc.claims_supported].sort()).to.deep.equal(Object.keys(claimsOf(access)).sort());
      expect(doc.claims_supported).to.deep.equal([...ACCESS_TOKEN_CLAIMS]);
    });

    it("names endpoints that answer: each URL reaches its function", async () => {
      const jwks = await fetch(doc.jwks_uri);
      expect(jwks.status).to.equal(200);
      expect((await jwks.json()).keys).to.be.an("array").that.is.not.empty;
      const token = await fetch(doc.token_endpoint, { method: "POST", headers: { "content-type": FORM }, body: "grant_type=refresh_token" });
      expect(await token.json(), "the function's own error, not the gateway's 404").to.deep.include({ error: "invalid_request" });
      const revocation = await fetch(doc.revocation_endpoint, { method: "POST", headers: { "content-type": FORM }, body: "token=made-up" });
      expect(revocation.status).to.equal(200);
    });
  });

  describe("POST /oauth/token: requests and errors (RFC 6749 §5.2)", () => {
    it("takes form bodies only: JSON, text and none get 415", async () => {
      const json = await rt.send({ method: "POST", path: "/oauth/token", headers: { "content-type": "application/json" }, body: '{"grant_type":"refresh_token"}' });
      expectOAuthError(json, 415, "invalid_request", `expected ${FORM}`);
      const text = await rt.send({ method: "POST", path: "/oauth/token", headers: { "content-type": "text/plain" }, body: "grant_type=refresh_token" });
      expectOAuthError(text, 415, "invalid_request");
      expectOAuthError(await rt.send({ method: "POST", path: "/oauth/token" }), 415, "invalid_request");
    });

    it("answers 400 invalid_request naming the field: no grant_type, no refresh_token, a parameter twice, a bad encoding, a big body", async () => {
      expectOAuthError(await form("/oauth/token", "refresh_token=x"), 400, "invalid_request", "grant_type is required");
      expectOAuthError(await form("/oauth/token", "grant_type=&refresh_token=x"), 400, "invalid_request", "grant_type is required");
      expectOAuthError(await form("/oauth/token", "grant_type=refresh_token"), 400, "invalid_request", "refresh_token is required");
      expectOAuthError(await form("/oauth/token", "grant_type=refresh_token&refresh_token=a&refresh_token=b"), 400, "invalid_request", '"refresh_token" must not be sent more than once');
      expectOAuthError(await form("/oauth/token", "grant_type=refresh_token&grant_type=refresh_token&refresh_token=a"), 400, "invalid_request", '"grant_type"');
      expectOAuthError(await form("/oauth/token", "grant_type=refresh_token&refresh_token=%E2%28"), 400, "invalid_request", "not valid");
      expectOAuthError(await form("/oauth/token", `grant_type=refresh_token&refresh_token=${"a".repeat(17_000)}`), 400, "invalid_request", "at most");
    });

    it("answers 400 unsupported_grant_type for any other grant, and 400 invalid_scope for a scope", async () => {
      for (const type of ["password", "authorization_code", "client_credentials", "REFRESH_TOKEN", "urn:ietf:params:oauth:grant-type:token-exchange"]) {
        expectOAuthError(await form("/oauth/token", `grant_type=${encodeURIComponent(type)}&refresh_token=x`), 400, "unsupported_grant_type");
      }
      const { refresh } = await signIn();
      expectOAuthError(await form("/oauth/token", `grant_type=refresh_token&refresh_token=${refresh}&scope=openid`), 400, "invalid_scope");
      expect((await grant(refresh)).status, "the refused request used nothing up").to.equal(200);
    });

    it("answers 400 invalid_grant for a bad refresh token, where /auth/refresh keeps its 401", async () => {
      for (const token of ["junk", "a.b.c", `${"A".repeat(22)}.0.${"A".repeat(43)}`]) expectOAuthError(await grant(token), 400, "invalid_grant");
      expectOAuthError(await refreshJson("junk"), 401, "invalid_grant");
    });

    it("ignores client_id, unknown parameters and any cookie", async () => {
      const { refresh } = await signIn();
      const reply = await form("/oauth/token", `client_id=some-app&grant_type=refresh_token&refresh_token=${refresh}&foo=bar`, { cookie: "refresh_token=junk" });
      expect(reply.status, reply.text).to.equal(200);
      const cookieOnly = await form("/oauth/token", "grant_type=refresh_token", { cookie: `refresh_token=${reply.json.refresh_token}`, origin: issuer });
      expectOAuthError(cookieOnly, 400, "invalid_request", "refresh_token is required");
    });
  });

  describe("POST /oauth/token: the refresh grant under /auth/refresh's rules", () => {
    it("answers the token response exactly (no-store), without a cookie, and the new access token works", async () => {
      const { refresh } = await signIn();
      const reply = await grant(refresh);
      expect(reply.status, reply.text).to.equal(200);
      expect(Object.keys(reply.json).sort()).to.deep.equal(TOKEN_RESPONSE_FIELDS);
      expect(reply.json.token_type).to.equal("Bearer");
      expect(reply.json.expires_in).to.equal(900);
      expect(reply.json.refresh_token).to.be.a("string").and.not.equal(refresh);
      expect(reply.headers["cache-control"]).to.equal("no-store");
      expect(reply.headers.pragma).to.equal("no-cache");
      expect(reply.headers["set-cookie"], "no cookie from the token endpoint").to.equal(undefined);
      expect((await rt.call("GET", "/me", undefined, bearer(reply.json.access_token))).status).to.equal(200);
    });

    it("rotates; within the grace window the token just replaced gets the current one; the two endpoints share one session", async () => {
      const { refresh: first } = await signIn();
      const second = (await grant(first)).json.refresh_token;
      const again = await grant(first);
      expect(again.status, again.text).to.equal(200);
      expect(again.json.refresh_token, "converges on the current token").to.equal(second);
      const third = await refreshJson(second);
      expect(third.status, "a token from /oauth/token refreshes at /auth/refresh").to.equal(200);
      const fourth = await grant(third.json.refresh_token);
      expect(fourth.status, "and back").to.equal(200);
    });

    it("a token two generations old is reuse: 400 invalid_grant, and the whole session is revoked", async () => {
      const { refresh: first } = await signIn();
      const second = (await grant(first)).json.refresh_token;
      const third = (await grant(second)).json.refresh_token;
      expectOAuthError(await grant(first), 400, "invalid_grant");
      await expectEnded(third, "reuse");
    });

    it("a forged secret with a real session id revokes nothing", async () => {
      const { refresh } = await signIn();
      expectOAuthError(await grant(withForgedSecret(refresh, randomBytes(64).toString("base64url"))), 400, "invalid_grant");
      expect((await grant(refresh)).status).to.equal(200);
    });

    it("counts failures per source address together with /auth/refresh: past the limit, 429 with Retry-After on both", async () => {
      const from = "127.1.2.3";
      for (let i = 0; i < FAILURE_LIMIT - 1; i++) expect((await grant(`junk-${i}`, from)).status).to.equal(400);
      expect((await refreshJson("junk", from)).status).to.equal(401);
      const { refresh } = await signIn();
      for (const reply of [await grant(refresh, from), await refreshJson(refresh, from)]) {
        expectOAuthError(reply, 429, "too_many_attempts");
        expect(reply.headers["retry-after"]).to.match(/^[1-9]\d*$/);
      }
      expect((await grant(refresh)).status, "another address is not affected").to.equal(200);
    });
  });

  describe("POST /oauth/revoke and /auth/revoke (RFC 7009)", () => {
    /** 200 with an empty body, not cacheable. */
    function expectRevoked(reply: Reply, context: string) {
      expect(reply.status, `${context}: ${reply.text}`).to.equal(200);
      expect(reply.text, context).to.equal("");
      expect(reply.headers["cache-control"], context).to.equal("no-store");
    }
    const cookieCleared = (reply: Reply) => {
      const cookies = (reply.headers["set-cookie"] ?? []).map(parseSetCookie);
      expect(cookies).to.have.length(1);
      expect(cookies[0]).to.deep.equal({ name: "refresh_token", value: "", attributes: { ...REFRESH_COOKIE_ATTRIBUTES, "max-age": "0" } });
    };

    it("a refresh token in the form ends its session: it, and the session's newer tokens, fail on both refresh endpoints", async () => {
      const { refresh: first } = await signIn();
      const second = (await grant(first)).json.refresh_token;
      const reply = await revoke(`token=${encodeURIComponent(first)}&token_type_hint=refresh_token`);
      expectRevoked(reply, "revoke");
      expect(reply.headers["set-cookie"], "no cookie was presented: none touched").to.equal(undefined);
      await expectEnded(second, "revocation");
      await expectEnded(first, "revocation");
    });

    it("token_type_hint is only a hint: a wrong or unknown one changes nothing", async () => {
      for (const hint of ["access_token", "something_else"]) {
        const { refresh } = await signIn();
        expectRevoked(await revoke(`token_type_hint=${hint}&token=${refresh}`), hint);
        await expectEnded(refresh, `revocation hinted ${hint}`);
      }
    });

    it("a valid access token of this service ends its session (related tokens, §2.1); an altered one does not", async () => {
      const { access, refresh } = await signIn();
      const altered = `${access.slice(0, -6)}${access.slice(-6, -5) === "A" ? "B" : "A"}${access.slice(-5)}`;
      expectRevoked(await revoke(`token=${altered}`), "altered access token");
      expect((await grant(refresh)).status, "an altered access token revoked nothing").to.equal(200);
      const { access: access2, refresh: refresh2 } = await signIn();
      expectRevoked(await revoke(`token=${access2}`), "access token");
      await expectEnded(refresh2, "revoking its access token");
    });

    it("answers 200 for any other token alike, and revokes nothing: forged, unknown, junk, already revoked", async () => {
      const { refresh } = await signIn();
      const forged = withForgedSecret(refresh, randomBytes(64).toString("base64url"));
      for (const token of [forged, `${"A".repeat(22)}.0.${"A".repeat(43)}`, "junk", "a.b.c", "x".repeat(4000)]) {
        expectRevoked(await revoke(`token=${encodeURIComponent(token)}`), token.slice(0, 30));
      }
      const current = await grant(refresh);
      expect(current.status, "the forged token revoked nothing").to.equal(200);
      expectRevoked(await revoke(`token=${current.json.refresh_token}`), "first revocation");
      expectRevoked(await revoke(`token=${current.json.refresh_token}`), "already revoked");
    });

    it("400 invalid_request only for a request with no token at all; 415 for a body that is not a form", async () => {
      expectOAuthError(await revoke(undefined), 400, "invalid_request", "token is required");
      expectOAuthError(await revoke("token="), 400, "invalid_request", "token is required");
      expectOAuthError(await revoke("token_type_hint=refresh_token"), 400, "invalid_request", "token is required");
      expectOAuthError(await revoke("token=a&token=b"), 400, "invalid_request", '"token" must not be sent more than once');
      const json = await rt.send({ method: "POST", path: "/oauth/revoke", headers: { "content-type": "application/json" }, body: '{"token":"x"}' });
      expectOAuthError(json, 415, "invalid_request");
    });

    it("the refresh cookie, from the API's own origin, at /auth/revoke: 200, the cookie cleared, the session ended", async () => {
      const { refresh } = await signIn();
      const reply = await revoke(undefined, { cookie: `refresh_token=${refresh}`, origin: issuer }, "/auth/revoke");
      expectRevoked(reply, "cookie revoke");
      cookieCleared(reply);
      await expectEnded(refresh, "a cookie revocation");
    });

    it("the refresh cookie from a foreign origin: 403 access_denied, the session lives on", async () => {
      const { refresh } = await signIn();
      for (const path of ["/auth/revoke", "/oauth/revoke"]) {
        const reply = await revoke(undefined, { cookie: `refresh_token=${refresh}`, origin: "https://evil.example" }, path);
        expectOAuthError(reply, 403, "access_denied");
        expect(reply.headers["set-cookie"]).to.equal(undefined);
      }
      const noOrigin = await revoke(undefined, { cookie: `refresh_token=${refresh}` }, "/auth/revoke");
      expectOAuthError(noOrigin, 403, "access_denied");
      expect((await grant(refresh)).status).to.equal(200);
    });

    it("a token in the form clears the cookie only when it is the cookie's; another session's cookie is left alone", async () => {
      const mine = await signIn();
      const reply = await revoke(`token=${mine.refresh}`, { cookie: `refresh_token=${mine.refresh}` }, "/auth/revoke");
      expectRevoked(reply, "the cookie's own token");
      cookieCleared(reply);
      const other = await signIn();
      const browser = await signIn();
      const cross = await revoke(`token=${other.refresh}`, { cookie: `refresh_token=${browser.refresh}` }, "/auth/revoke");
      expectRevoked(cross, "another token");
      expect(cross.headers["set-cookie"]).to.equal(undefined);
      await expectEnded(other.refresh, "revocation by form");
      expect((await grant(browser.refresh)).status, "the cookie's session lives on").to.equal(200);
    });

    it("counts tokens it never issued per source address: past the limit, 429 with Retry-After", async () => {
      const from = "127.1.2.4";
      for (let i = 0; i < FAILURE_LIMIT; i++) expectRevoked(await revoke(`token=junk-${i}`, {}, "/oauth/revoke", from), `junk ${i}`);
      const { refresh } = await signIn();
      const reply = await revoke(`token=${refresh}`, {}, "/oauth/revoke", from);
      expectOAuthError(reply, 429, "too_many_attempts");
      expect(reply.headers["retry-after"]).to.match(/^[1-9]\d*$/);
      expect((await grant(refresh)).status, "nothing revoked past the limit").to.equal(200);
    });

    it("a genuine token does not count: revoking sessions from one address never hits the limit", async () => {
      const from = "127.1.2.5";
      for (let i = 0; i < FAILURE_LIMIT + 1; i++) {
        const { refresh } = await signIn();
        expectRevoked(await revoke(`token=${refresh}`, {}, "/oauth/revoke", from), `session ${i}`);
      }
    });
  });
});
