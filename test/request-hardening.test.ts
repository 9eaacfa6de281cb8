/**
 * Request hardening: JSON bodies only (415 otherwise), the refresh cookie only from an
 * allowed origin, body token before cookie, the authorizer cache cap. Unit checks on the
 * rules, then the real bundles through the local runtime (`npm start`) over HTTP.
 */
import { expect } from "chai";
import { TerraformStack, Testing } from "cdktf";
import { randomUUID } from "node:crypto";
import { AccessDeniedError, ConfigError, UnsupportedMediaTypeError } from "../handlers/lib/domain/errors.js";
import { requireTrustedOrigin } from "../handlers/lib/http/cookie-origin.js";
import { errorResponse } from "../handlers/lib/http/error-response.js";
import type { HttpEvent } from "../handlers/lib/http/event.js";
import { requireJsonContentType } from "../handlers/lib/http/json-body.js";
import { allowedOrigins } from "../handlers/lib/runtime/config.js";
import { defineVariables } from "../stacks/variables.js";
import { recordingLogger } from "./helpers/config.js";
import { spawnLocalRuntime, type SpawnedRuntime } from "./helpers/local-runtime.js";

const UNSUPPORTED = "unsupported Content-Type: expected application/json";
const COOKIE_REFUSED = "the refresh cookie is accepted only from an allowed origin; other clients send refresh_token in the body";
const APP_ORIGIN = "https://app.example.test";

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
};

describe("request hardening", () => {
  describe("Content-Type rule", () => {
    const withType = (value?: string, name = "content-type") => ({ headers: value === undefined ? {} : { [name]: value } });

    for (const accepted of ["application/json", "Application/JSON", "application/json; charset=utf-8", "application/json;charset=UTF-8", 'application/json; charset="utf-8"', "application/json ; version=1"]) {
      it(`accepts ${accepted}`, () => expect(() => requireJsonContentType(withType(accepted))).not.to.throw());
    }

    it("finds the header whatever its name's case (direct invocations)", () => {
      expect(() => requireJsonContentType(withType("application/json", "Content-Type"))).not.to.throw();
    });

    const refused: Array<[string | undefined, string]> = [
      [undefined, UNSUPPORTED],
      ["", UNSUPPORTED],
      ["text/plain", UNSUPPORTED],
      ["text/plain;charset=UTF-8", UNSUPPORTED],
      ["application/x-www-form-urlencoded", UNSUPPORTED],
      ["multipart/form-data; boundary=x", UNSUPPORTED],
      ["application/merge-patch+json", UNSUPPORTED],
      ["application/jsonp", UNSUPPORTED],
      ["application/json, text/plain", UNSUPPORTED],
      ["json", UNSUPPORTED],
      ["application/json; charset=utf-16", "unsupported charset: expected application/json in UTF-8"],
      ["application/json; charset=iso-8859-1", "unsupported charset: expected application/json in UTF-8"],
    ];
    for (const [value, description] of refused) {
      it(`refuses ${JSON.stringify(value)} with 415 invalid_request`, () => {
        const error = thrown(() => requireJsonContentType(withType(value)));
        expect(error).to.be.instanceOf(UnsupportedMediaTypeError);
        const response = errorResponse(error, recordingLogger());
        expect(response.statusCode).to.equal(415);
        expect(JSON.parse(response.body!)).to.deep.equal({ error: "invalid_request", error_description: description });
      });
    }
  });

  describe("cookie origin rule", () => {
    const event = (headers: Record<string, string>, domainName: string | undefined = "api.example.test"): HttpEvent => ({
      headers,
      requestContext: { requestId: "r", domainName, http: { method: "POST", path: "/auth/refresh" } },
    });
    const allowed = [APP_ORIGIN, "http://localhost:5173"];
    const trusted = (e: HttpEvent, list: readonly string[] = allowed) => {
      try {
        requireTrustedOrigin(e, list);
        return true;
      } catch (error) {
        expect(error).to.be.instanceOf(AccessDeniedError);
        expect((error as AccessDeniedError).description).to.equal(COOKIE_REFUSED);
        return false;
      }
    };

    it("accepts a listed origin, the API's own origin, or same-origin fetch metadata", () => {
      expect(trusted(event({ origin: APP_ORIGIN }))).to.equal(true);
      expect(trusted(event({ origin: "http://localhost:5173" }))).to.equal(true);
      // API Gateway is HTTPS only; the scheme comes from X-Forwarded-Proto when present.
      expect(trusted(event({ origin: "https://api.example.test" }))).to.equal(true);
      expect(trusted(event({ origin: "http://127.0.0.1:3000", "x-forwarded-proto": "http" }, "127.0.0.1:3000"))).to.equal(true);
      expect(trusted(event({ "sec-fetch-site": "same-origin" }))).to.equal(true);
    });

    const refused: Array<[string, Record<string, string>]> = [
      ["a foreign origin", { origin: "https://evil.example" }],
      ["a listed host on another scheme", { origin: "http://app.example.test" }],
      ["a listed host on another port", { origin: "https://app.example.test:8443" }],
      ["a listed origin's subdomain", { origin: "https://x.app.example.test" }],
      ["a trailing slash", { origin: `${APP_ORIGIN}/` }],
      ["Origin null (sandboxed frame, privacy redirect)", { origin: "null" }],
      ["the API's host over http in AWS", { origin: "http://api.example.test" }],
      ["a foreign origin claiming same-origin metadata", { origin: "https://evil.example", "sec-fetch-site": "same-origin" }],
      ["no Origin and no fetch metadata (not a browser)", {}],
      ["no Origin, same-site", { "sec-fetch-site": "same-site" }],
      ["no Origin, cross-site", { "sec-fetch-site": "cross-site" }],
      ["no Origin, none (typed in the address bar)", { "sec-fetch-site": "none" }],
    ];
    for (const [name, headers] of refused) {
      it(`refuses ${name} with 403 access_denied`, () => {
        expect(trusted(event(headers))).to.equal(false);
      });
    }

    it("never lets * in the CORS list allow the cookie", () => {
      expect(trusted(event({ origin: "https://evil.example" }), ["*"])).to.equal(false);
      expect(trusted(event({ origin: "*" }), ["*"])).to.equal(false);
    });

    it("has no own origin without a domain name", () => {
      expect(trusted(event({ origin: "https://undefined" }, undefined))).to.equal(false);
    });

    it("maps to 403 access_denied", () => {
      const response = errorResponse(new AccessDeniedError(COOKIE_REFUSED), recordingLogger());
      expect(response.statusCode).to.equal(403);
      expect(JSON.parse(response.body!)).to.deep.equal({ error: "access_denied", error_description: COOKIE_REFUSED });
    });
  });

  describe("CORS_ALLOWED_ORIGINS", () => {
    it("reads origins and *, none by default", () => {
      expect(allowedOrigins({})).to.deep.equal([]);
      expect(allowedOrigins({ CORS_ALLOWED_ORIGINS: ` ${APP_ORIGIN}, http://localhost:5173 ,*` })).to.deep.equal([APP_ORIGIN, "http://localhost:5173", "*"]);
    });

    for (const bad of ["app.example.test", `${APP_ORIGIN}/`, `${APP_ORIGIN}/path`, "https://App.example.test", "null", "https://app.example.test:443"]) {
      it(`names the variable and the entry for ${bad}`, () => {
        const error = thrown(() => allowedOrigins({ CORS_ALLOWED_ORIGINS: `http://localhost:5173,${bad}` }));
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).variable).to.equal("CORS_ALLOWED_ORIGINS");
        expect(error.message).to.include(`entry "${bad}"`);
      });
    }
  });

  describe("Terraform validation", () => {
    const variables = () => {
      const stack = new TerraformStack(Testing.app(), "variables");
      defineVariables(stack);
      return JSON.parse(Testing.synth(stack)).variable as Record<string, { validation?: Array<{ condition: string }> }>;
    };

    it("caps authorizer_cache_ttl_seconds at 300", () => {
      const name = "authorizer_cache_ttl_seconds";
      expect(variables()[name].validation![0].condition).to.equal(
        `\${var.${name} >= 0 && var.${name} <= 300 && floor(var.${name}) == var.${name}}`,
      );
    });

    it("accepts only browser origins (or *) in cors_allowed_origins", () => {
      const condition = variables().cors_allowed_origins.validation![0].condition;
      // The pattern is RE2 and plain enough to mean the same in JavaScript.
      const pattern = new RegExp(/regex\("([^"]+)"/.exec(condition)![1]);
      expect(condition).to.include('o == "*" ||');
      for (const good of [APP_ORIGIN, "http://localhost:5173", "http://127.0.0.1:5173"]) expect(pattern.test(good), good).to.equal(true);
      for (const bad of ["app.example.test", `${APP_ORIGIN}/`, `${APP_ORIGIN}/x`, "https://App.example.test", "null", "*.example.test"]) {
        expect(pattern.test(bad), bad).to.equal(false);
      }
    });
  });

  describe("through the local runtime (real bundles)", function () {
    this.timeout(120_000);
    let runtime: SpawnedRuntime;
    const password = "a long unremarkable passphrase";
    const email = `hardening-${randomUUID()}@example.com`;

    before(async () => {
      runtime = await spawnLocalRuntime({ CORS_ALLOWED_ORIGINS: `${APP_ORIGIN},http://localhost:5173` });
      const created = await post("/auth/register", { headers: json, body: JSON.stringify({ email, password }) });
      expect(created.status, created.text).to.equal(201);
    });
    after(async () => {
      expect(await runtime?.stop()).to.equal(0);
    });

    const json = { "content-type": "application/json" };
    async function post(path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
      const response = await fetch(runtime.url + path, { method: "POST", ...init });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
    }
    /** A fresh session's refresh token. */
    const login = async (): Promise<string> => {
      const response = await post("/auth/login", { headers: json, body: JSON.stringify({ email, password }) });
      expect(response.status, response.text).to.equal(200);
      return response.json.refresh_token as string;
    };
    const cookie = (token: string) => ({ cookie: `refresh_token=${token}` });

    it("register refuses a common breached password (the real register bundle)", async () => {
      const response = await post("/auth/register", { headers: json, body: JSON.stringify({ email: `common-${randomUUID()}@example.com`, password: "Qwerty123456" }) });
      expect(response.status).to.equal(400);
      expect(response.json).to.deep.equal({ error: "invalid_request", error_description: "password is one of the most common breached passwords; choose one that is harder to guess" });
    });

    describe("bodies must be application/json", () => {
      for (const path of ["/auth/register", "/auth/login", "/auth/refresh"]) {
        for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
          it(`${path} with ${type ?? "no Content-Type"}: 415`, async () => {
            // fetch labels a string body text/plain unless told: send bytes for "none".
            const body = JSON.stringify({ email, password, refresh_token: "x.y" });
            const response = await post(path, type === undefined ? { body: new TextEncoder().encode(body) as never } : { headers: { "content-type": type }, body });
            expect(response.status).to.equal(415);
            expect(response.json).to.deep.equal({ error: "invalid_request", error_description: UNSUPPORTED });
          });
        }
      }

      it("a cross-site form login (text/plain JSON) sets no cookie: the login CSRF of the issue", async () => {
        const response = await post("/auth/login", { headers: { "content-type": "text/plain" }, body: JSON.stringify({ email, password }) });
        expect(response.status).to.equal(415);
        expect(response.headers.get("set-cookie")).to.equal(null);
      });

      it("accepts a charset parameter and any case", async () => {
        const response = await post("/auth/login", { headers: { "content-type": "Application/JSON; charset=UTF-8" }, body: JSON.stringify({ email, password }) });
        expect(response.status).to.equal(200);
      });

      it("needs no Content-Type for a cookie-only refresh with no body", async () => {
        const response = await post("/auth/refresh", { headers: { ...cookie(await login()), origin: APP_ORIGIN } });
        expect(response.status, response.text).to.equal(200);
      });
    });

    describe("the refresh cookie only from an allowed origin", () => {
      const accepted: Array<[string, () => Record<string, string>]> = [
        ["a listed origin", () => ({ origin: APP_ORIGIN })],
        ["another listed origin", () => ({ origin: "http://localhost:5173" })],
        ["the API's own origin", () => ({ origin: new URL(runtime.url).origin })],
        ["no Origin but Sec-Fetch-Site: same-origin", () => ({ "sec-fetch-site": "same-origin" })],
      ];
      for (const [name, headers] of accepted) {
        it(`accepts ${name}`, async () => {
          const response = await post("/auth/refresh", { headers: { ...cookie(await login()), ...headers() } });
          expect(response.status, response.text).to.equal(200);
        });
      }

      const refused: Array<[string, Record<string, string>]> = [
        ["a foreign origin", { origin: "https://evil.example" }],
        ["no Origin and no fetch metadata", {}],
        ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
        ["Origin null", { origin: "null" }],
      ];
      for (const [name, headers] of refused) {
        it(`refuses ${name} with 403 access_denied, and the token still works from the body`, async () => {
          const token = await login();
          const response = await post("/auth/refresh", { headers: { ...cookie(token), ...headers } });
          expect(response.status).to.equal(403);
          expect(response.json).to.deep.equal({ error: "access_denied", error_description: COOKIE_REFUSED });
          expect(response.headers.get("set-cookie")).to.equal(null);
          // Refused before the session was touched: no rotation, no revocation.
          const retry = await post("/auth/refresh", { headers: json, body: JSON.stringify({ refresh_token: token }) });
          expect(retry.status, retry.text).to.equal(200);
        });
      }

      it("leaves the body token path alone: any origin may send refresh_token in the body", async () => {
        const response = await post("/auth/refresh", { headers: { ...json, origin: "https://evil.example" }, body: JSON.stringify({ refresh_token: await login() }) });
        expect(response.status, response.text).to.equal(200);
      });
    });

    describe("body before cookie", () => {
      it("a body refresh_token wins over the cookie", async () => {
        const [inBody, inCookie] = [await login(), await login()];
        const response = await post("/auth/refresh", { headers: { ...json, ...cookie("garbage.cookie"), origin: APP_ORIGIN }, body: JSON.stringify({ refresh_token: inBody }) });
        expect(response.status, response.text).to.equal(200);
        const loses = await post("/auth/refresh", { headers: { ...json, ...cookie(inCookie), origin: APP_ORIGIN }, body: JSON.stringify({ refresh_token: "garbage.body" }) });
        expect(loses.status).to.equal(401);
        expect(loses.json.error).to.equal("invalid_grant");
      });

      it("a JSON body without refresh_token falls back to the cookie", async () => {
        const response = await post("/auth/refresh", { headers: { ...json, ...cookie(await login()), origin: APP_ORIGIN }, body: "{}" });
        expect(response.status, response.text).to.equal(200);
      });

      for (const body of ['{"refresh_token":""}', '{"refresh_token":null}']) {
        it(`a body ${body} falls back to the cookie as if the field were absent`, async () => {
          const response = await post("/auth/refresh", { headers: { ...json, ...cookie(await login()), origin: APP_ORIGIN }, body });
          expect(response.status, response.text).to.equal(200);
        });

        it(`a body ${body} without a cookie names both places`, async () => {
          const response = await post("/auth/refresh", { headers: json, body });
          expect(response.status).to.equal(400);
          expect(response.json).to.deep.equal({ error: "invalid_request", error_description: "refresh_token is required (in the body or the refresh_token cookie)" });
        });
      }

      it("a whitespace-only body token is a token, not a fallback: it fails as one (401), the cookie unused", async () => {
        const inCookie = await login();
        const response = await post("/auth/refresh", { headers: { ...json, ...cookie(inCookie), origin: APP_ORIGIN }, body: '{"refresh_token":" "}' });
        expect(response.status).to.equal(401);
        const cookieStillFresh = await post("/auth/refresh", { headers: { ...cookie(inCookie), origin: APP_ORIGIN } });
        expect(cookieStillFresh.status, cookieStillFresh.text).to.equal(200);
      });

      it("and that fallback is origin-checked too", async () => {
        const response = await post("/auth/refresh", { headers: { ...json, ...cookie(await login()), origin: "https://evil.example" }, body: '{"note":"x"}' });
        expect(response.status).to.equal(403);
      });
    });
  });

  it("the local runtime refuses an authorizer cache TTL above 300 s, naming the variable", async function () {
    this.timeout(60_000);
    const error = await spawnLocalRuntime({ AUTHORIZER_CACHE_TTL_SECONDS: "301" }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.include("exited with 1");
    expect((error as Error).message).to.include('could not start the local runtime: configuration: AUTHORIZER_CACHE_TTL_SECONDS must be an integer from 0 to 300, got "301"');
  });
});
