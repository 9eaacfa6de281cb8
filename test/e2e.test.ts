/**
 * End to end: the local runtime as `npm start` runs it (real bundles, dynalite, API
 * Gateway stand-in), driven over HTTP by scripts/smoke.sh and by hostile input.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ROOT } from "../bundle/bundler.js";
import { spawnLocalRuntime, type SpawnedRuntime } from "./helpers/local-runtime.js";

const run = promisify(execFile);

describe("end to end through the local runtime", function () {
  this.timeout(120_000);
  let runtime: SpawnedRuntime;

  before(async () => {
    runtime = await spawnLocalRuntime();
  });

  after(async () => {
    const code = await runtime?.stop();
    expect(code, "Ctrl-C stops the runtime cleanly").to.equal(0);
  });

  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(runtime.url + path, {
      method,
      body,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };

  it("passes scripts/smoke.sh", async () => {
    const { stdout } = await run("bash", ["scripts/smoke.sh", runtime.url], { cwd: ROOT });
    expect(stdout).to.include(`smoke test passed against ${runtime.url}`);
  });

  it("logs one JSON line per request, without the query string", async () => {
    await call("GET", "/.well-known/jwks.json?probe=log");
    const line = /^\{.*"path":"\/\.well-known\/jwks\.json".*\}$/m;
    // The line reaches us through a pipe: give it a moment.
    for (let i = 0; i < 50 && !line.test(runtime.output()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(line.exec(runtime.output())![0])).to.include({ service: "gateway", method: "GET", path: "/.well-known/jwks.json", status: 200 });
    expect(runtime.output()).not.to.include("probe=log");
  });

  describe("bad input is a 400 invalid_request that names the problem", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["/auth/register", "{not json", /not valid JSON/],
      ["/auth/register", "[1,2]", /JSON object/],
      ["/auth/register", "", /JSON object/],
      ["/auth/register", '{"password":"correct horse battery"}', /email is required/],
      ["/auth/register", '{"email":"a@b.io"}', /password is required/],
      ["/auth/register", '{"email":42,"password":"correct horse battery"}', /email must be a string/],
      ["/auth/register", '{"email":"a@b.io","password":{"$ne":1}}', /password must be a string/],
      ["/auth/register", '{"email":"not-an-email","password":"correct horse battery"}', /email must be an address/],
      ["/auth/register", '{"email":"a@b.io","password":"short"}', /at least 12/],
      ["/auth/register", '{"email":"a@b.io","password":"correct horse battery","tenant":"nope"}', /tenant "nope"/],
      ["/auth/login", '{"email":"a@b.io","password":null}', /password is required/],
      ["/auth/login", JSON.stringify({ email: "a@b.io", password: "x".repeat(20_000) }), /at most 16384 bytes/],
      ["/auth/refresh", '{"refresh_token":7}', /refresh_token must be a string/],
      ["/auth/refresh", "{}", /refresh_token is required/],
    ];
    for (const [path, body, description] of cases) {
      it(`${path} ${body.slice(0, 50) || "(empty)"}`, async () => {
        const response = await call("POST", path, body);
        expect(response.status).to.equal(400);
        expect(response.json.error).to.equal("invalid_request");
        expect(response.json.error_description).to.match(description);
      });
    }

    it("a refresh with neither body nor cookie names both places", async () => {
      const response = await call("POST", "/auth/refresh");
      expect(response.status).to.equal(400);
      expect(response.json.error_description).to.match(/body or the refresh_token cookie/);
    });
  });

  it("never answers with a stack trace or internal detail", async () => {
    const bodies = ["{", '{"email":{}}', '{"email":"x@y.z","password":[]}', "\u0000\u0001", "9".repeat(400), '{"__proto__":{"a":1}}'];
    for (const path of ["/auth/register", "/auth/login", "/auth/refresh"]) {
      for (const body of bodies) {
        const response = await call("POST", path, body);
        expect(response.status, `${path} ${body}`).to.be.within(400, 499);
        expect(response.text).not.to.match(/\bat \S+ \(|node_modules|\.ts:\d+|Error:/);
      }
    }
  });

  it("a second runtime on a busy port says so and exits 1", async () => {
    const port = new URL(runtime.url).port;
    const error = await spawnLocalRuntime({ PORT: port }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.include("exited with 1");
    expect((error as Error).message).to.include(`could not start the local runtime: port ${port} is in use`);
  });

  it("answers unknown routes and methods as API Gateway does", async () => {
    expect((await call("GET", "/auth/login")).status).to.equal(404);
    expect((await call("GET", "/nope")).status).to.equal(404);
  });

  it("refuses a bearer route without Authorization before running the authorizer (401)", async () => {
    const response = await call("POST", "/auth/logout");
    expect(response.status).to.equal(401);
    expect(response.json).to.deep.equal({ message: "Unauthorized" });
  });
});
