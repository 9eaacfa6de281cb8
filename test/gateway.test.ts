/** The API Gateway stand-in: event shape, authorizer caching and API Gateway's own answers. */
import { expect } from "chai";
import { routes } from "../handlers/routes.js";
import { createGateway, type LambdaHandler } from "../local/gateway.js";
import { listenOnLoopback } from "../local/listen.js";

describe("local API Gateway", () => {
  let now = 1_000_000;
  const seen: { authorizer: any[]; me: any[] } = { authorizer: [], me: [] };
  let verdict = true;
  const functions: Record<string, LambdaHandler> = {
    authorizer: async (event) => {
      seen.authorizer.push(event);
      return verdict ? { isAuthorized: true, context: { sub: "u", email: "e", sid: "s", tenant: "t" } } : { isAuthorized: false };
    },
    me: async (event) => {
      seen.me.push(event);
      return { statusCode: 200, headers: { "content-type": "application/json" }, body: "{}", cookies: ["a=1; Path=/", "b=2"] };
    },
    login: async () => {
      throw new Error("boom: internal detail");
    },
    jwks: async () => ({ keys: [] }),
  };
  const gateway = createGateway({
    routes,
    functions,
    authorizer: "authorizer",
    authorizerCacheTtlSeconds: 60,
    corsAllowedOrigins: ["http://localhost:5173"],
    now: () => now,
  });
  let base: string;

  before(async () => {
    base = `http://127.0.0.1:${await listenOnLoopback(gateway, 0)}`;
  });
  after((done) => {
    gateway.closeAllConnections();
    gateway.close(() => done());
  });
  beforeEach(() => {
    seen.authorizer = [];
    seen.me = [];
    verdict = true;
    now += 3_600_000; // expire cached authorizer results between tests
  });

  it("refuses a missing Authorization header with 401 without invoking the authorizer", async () => {
    const response = await fetch(`${base}/me`);
    expect(response.status).to.equal(401);
    expect(await response.json()).to.deep.equal({ message: "Unauthorized" });
    expect(seen.authorizer).to.have.length(0);
  });

  it("answers a denial with 403 and never reaches the function", async () => {
    verdict = false;
    const response = await fetch(`${base}/me`, { headers: { authorization: "Bearer t" } });
    expect(response.status).to.equal(403);
    expect(seen.me).to.have.length(0);
  });

  it("caches the authorizer's answer per Authorization value for the TTL", async () => {
    const get = (auth: string) => fetch(`${base}/me`, { headers: { authorization: auth } });
    await get("Bearer one");
    await get("Bearer one");
    await get("Bearer two");
    expect(seen.authorizer).to.have.length(2);
    now += 61_000;
    await get("Bearer one");
    expect(seen.authorizer).to.have.length(3);
  });

  it("builds payload 2.0 events: lower-case headers, cookies split out, authorizer context", async () => {
    await fetch(`${base}/me?x=1`, { headers: { Authorization: "Bearer t", "X-Custom": "v", cookie: "a=1; b=2" } });
    const [event] = seen.me;
    expect(event.version).to.equal("2.0");
    expect(event.routeKey).to.equal("GET /me");
    expect(event.rawQueryString).to.equal("x=1");
    expect(event.headers).to.include({ authorization: "Bearer t", "x-custom": "v" });
    expect(event.headers).not.to.have.property("cookie");
    expect(event.cookies).to.deep.equal(["a=1", "b=2"]);
    expect(event.requestContext.http).to.include({ method: "GET", path: "/me" });
    expect(event.requestContext.authorizer.lambda).to.deep.equal({ sub: "u", email: "e", sid: "s", tenant: "t" });
    const [authorizerEvent] = seen.authorizer;
    expect(authorizerEvent).to.include({ type: "REQUEST" });
    expect(authorizerEvent.identitySource).to.deep.equal(["Bearer t"]);
  });

  it("maps cookies in the result to Set-Cookie headers", async () => {
    const response = await fetch(`${base}/me`, { headers: { authorization: "Bearer t" } });
    expect(response.headers.getSetCookie()).to.deep.equal(["a=1; Path=/", "b=2"]);
  });

  it("answers a function that throws with a bare 500", async () => {
    const response = await fetch(`${base}/auth/login`, { method: "POST", body: "{}" });
    expect(response.status).to.equal(500);
    expect(await response.text()).to.equal('{"message":"Internal Server Error"}');
  });

  it("infers a 200 JSON response from a result without statusCode", async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ keys: [] });
  });

  it("answers 503 for a function that is not loaded yet", async () => {
    const response = await fetch(`${base}/auth/refresh`, { method: "POST", body: "{}" });
    expect(response.status).to.equal(503);
  });

  it("answers CORS preflights itself and marks responses for allowed origins only", async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/auth/login`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    const allowed = await preflight("http://localhost:5173");
    expect(allowed.status).to.equal(204);
    expect(allowed.headers.get("access-control-allow-origin")).to.equal("http://localhost:5173");
    expect(allowed.headers.get("access-control-allow-credentials")).to.equal("true");
    expect(allowed.headers.get("access-control-allow-methods")).to.equal("GET,POST,DELETE,OPTIONS");
    expect(allowed.headers.get("access-control-allow-headers")).to.equal("authorization,content-type");
    const refused = await preflight("https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).to.equal(null);
    const response = await fetch(`${base}/.well-known/jwks.json`, { headers: { origin: "http://localhost:5173" } });
    expect(response.headers.get("access-control-allow-origin")).to.equal("http://localhost:5173");
    const other = await fetch(`${base}/.well-known/jwks.json`, { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("answers unknown routes with 404", async () => {
    expect((await fetch(`${base}/admin`)).status).to.equal(404);
    expect((await fetch(`${base}/me`, { method: "PUT" })).status).to.equal(404);
  });
});
