/**
 * The token response and the refresh cookie (handlers/lib/http/token-response.ts): exact
 * cookie attributes, parsed rather than substring-matched, and a Max-Age that follows the
 * session's remaining lifetime through login and refresh (dynalite, injected clock).
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { localMacKey } from "../handlers/lib/adapters/local-mac-key.js";
import { argon2idHasher } from "../handlers/lib/adapters/argon2-hasher.js";
import { register } from "../handlers/lib/domain/accounts.js";
import { refreshSession, startSession } from "../handlers/lib/domain/sessions.js";
import { clearedSession, tokenResponse } from "../handlers/lib/http/token-response.js";
import { manualClock, recordingLogger, testConfig } from "./helpers/config.js";
import { localTable } from "./helpers/dynalite.js";
import { p256 } from "./helpers/keys.js";
import { parseSetCookie, REFRESH_COOKIE_ATTRIBUTES, refreshCookie } from "./helpers/set-cookie.js";

const tokens = { accessToken: "h.p.s", expiresIn: 900, refreshToken: "sid.secret", refreshExpiresIn: 1234 };

describe("token response and refresh cookie", () => {
  it("parses Set-Cookie attributes as a browser does (control for the tests below)", () => {
    expect(parseSetCookie("a=b=c; secure; PATH=/x ;HttpOnly")).to.deep.equal({
      name: "a",
      value: "b=c",
      attributes: { secure: true, path: "/x", httponly: true },
    });
  });

  it("answers RFC 6749 §5.1: the token body, uncacheable", () => {
    const response = tokenResponse(tokens);
    expect(response.statusCode).to.equal(200);
    expect(JSON.parse(response.body!)).to.deep.equal({ access_token: "h.p.s", token_type: "Bearer", expires_in: 900, refresh_token: "sid.secret" });
    expect(response.headers).to.include({ "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" });
  });

  it("sets exactly one refresh cookie: HttpOnly, Secure, SameSite=Strict, Path=/auth, Max-Age = the session's remaining seconds", () => {
    const response = tokenResponse(tokens);
    expect(response.cookies ?? [], "Set-Cookie values").to.have.length(1);
    expect(parseSetCookie(response.cookies![0])).to.deep.equal(refreshCookie("sid.secret", 1234));
  });

  it("clears the cookie on logout with the same attributes and Max-Age=0", () => {
    const response = clearedSession();
    expect(response.statusCode).to.equal(204);
    expect(response.headers["cache-control"]).to.equal("no-store");
    expect(response.cookies ?? [], "logout must send a cookie that clears refresh_token").to.have.length(1);
    const cleared = parseSetCookie(response.cookies![0]);
    // A browser replaces a cookie only when name, path and domain match the one it holds.
    expect(cleared).to.deep.equal({ name: "refresh_token", value: "", attributes: { ...REFRESH_COOKIE_ATTRIBUTES, "max-age": "0" } });
  });

  it("takes the environment's attributes (an app on another site, a parent domain), and clears with the same ones", () => {
    const crossSite = { sameSite: "None", domain: "example.com", path: "/", secure: true } as const;
    const set = parseSetCookie(tokenResponse(tokens, crossSite).cookies![0]);
    const expected = { httponly: true, secure: true, samesite: "None", path: "/", domain: "example.com" };
    expect(set.attributes).to.deep.equal({ ...expected, "max-age": "1234" });
    expect(parseSetCookie(clearedSession(crossSite).cookies![0]).attributes).to.deep.equal({ ...expected, "max-age": "0" });
    // Without Secure (plain-http development) the attribute is absent, not "Secure=false".
    expect(parseSetCookie(tokenResponse(tokens, { sameSite: "Lax", path: "/auth", secure: false }).cookies![0]).attributes).to.deep.equal({
      httponly: true,
      samesite: "Lax",
      path: "/auth",
      "max-age": "1234",
    });
  });

  describe("Max-Age through login and refresh (dynalite)", function () {
    this.timeout(60_000);
    let table: Awaited<ReturnType<typeof localTable>>;
    const config = testConfig({ refreshTokenTtlSeconds: 7200 });
    const key = p256();
    before(async () => {
      table = await localTable();
    });
    after(() => table?.close());

    it("equals the lifetime at login, then what is left of it at each refresh", async () => {
      const clock = manualClock();
      const deps = { store: table.store, hasher: argon2idHasher(), signer: key.signer, refreshKey: localMacKey(randomBytes(32)), config, clock, logger: recordingLogger() };
      const user = await register({ tenant: "default", email: "cookie@example.com", password: "correct horse battery" }, deps);
      const login = tokenResponse(await startSession(user, deps));
      const first = JSON.parse(login.body!).refresh_token as string;
      expect(parseSetCookie(login.cookies![0])).to.deep.equal(refreshCookie(first, 7200));

      clock.advance(1_000_000);
      const refreshed = tokenResponse(await refreshSession(first, deps));
      const second = JSON.parse(refreshed.body!).refresh_token as string;
      // Rotation does not extend the session, so neither may the cookie.
      expect(parseSetCookie(refreshed.cookies![0])).to.deep.equal(refreshCookie(second, 6200));
    });
  });
});
