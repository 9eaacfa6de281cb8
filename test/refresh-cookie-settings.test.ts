/**
 * The refresh cookie's per-environment attributes reach every function that sets or clears it
 * (login, refresh, logout, account deletion), through the real bundles.
 */
import { expect } from "chai";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { parseSetCookie } from "./helpers/set-cookie.js";

describe("refresh cookie attributes from the environment (real bundles in process)", function () {
  this.timeout(60_000);
  let rt: InProcessRuntime;
  before(async () => {
    rt = await startInProcessRuntime({ REFRESH_COOKIE_SAME_SITE: "None", REFRESH_COOKIE_DOMAIN: "example.com", REFRESH_COOKIE_PATH: "/" });
  });
  after(() => rt?.close());

  const expected = { httponly: true, secure: true, samesite: "None", domain: "example.com", path: "/" };
  const attributesOf = (setCookie: string | string[] | undefined) => {
    const { "max-age": maxAge, ...rest } = parseSetCookie([setCookie ?? []].flat()[0] ?? "").attributes;
    return { rest, maxAge };
  };

  it("login, refresh, logout and account deletion all use them", async () => {
    const account = { email: "cookie-settings@example.com", password: "correct horse battery staple" };
    expect((await rt.call("POST", "/auth/register", account)).status).to.equal(201);
    const login = await rt.call("POST", "/auth/login", account);
    expect(attributesOf(login.headers["set-cookie"]).rest, "login").to.deep.equal(expected);
    const refreshed = await rt.call("POST", "/auth/refresh", { refresh_token: login.json.refresh_token });
    expect(attributesOf(refreshed.headers["set-cookie"]).rest, "refresh").to.deep.equal(expected);
    const logout = await rt.call("POST", "/auth/logout", undefined, { authorization: `Bearer ${refreshed.json.access_token}` });
    expect(attributesOf(logout.headers["set-cookie"]), "logout").to.deep.equal({ rest: expected, maxAge: "0" });
    const again = await rt.call("POST", "/auth/login", account);
    const deleted = await rt.call("DELETE", "/me", { password: account.password }, { authorization: `Bearer ${again.json.access_token}` });
    expect(deleted.status).to.equal(204);
    expect(attributesOf(deleted.headers["set-cookie"]), "account deletion").to.deep.equal({ rest: expected, maxAge: "0" });
  });
});
