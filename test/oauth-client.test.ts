/**
 * A client library nobody here wrote, oauth4webapi, against the local runtime as `npm start`
 * runs it: discovery with its issuer validation, a refresh grant, a revocation; and jose
 * verifying an access token through the discovered jwks_uri. The runtime is started on a
 * port chosen first, with ISSUER its own URL (`ISSUER=http://127.0.0.1:3000 npm start`), so
 * the issuer a client expects, the document's and the tokens' `iss` are all one URL.
 * oauth4webapi refuses plain http unless told: allowInsecureRequests, on loopback only.
 */
import { expect } from "chai";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { freeLoopbackPort } from "./helpers/free-port.js";
import { spawnLocalRuntime, type SpawnedRuntime } from "./helpers/local-runtime.js";

describe("a standard OAuth client (oauth4webapi) against the local runtime", function () {
  this.timeout(120_000);
  let runtime: SpawnedRuntime;
  let issuer: URL;
  const insecure = { [oauth.allowInsecureRequests]: true };
  // Public client: a client_id is sent (oauth4webapi requires one) and ignored.
  const client: oauth.Client = { client_id: "oauth4webapi-test" };

  before(async () => {
    const port = await freeLoopbackPort();
    runtime = await spawnLocalRuntime({ PORT: String(port), ISSUER: `http://127.0.0.1:${port}` });
    issuer = new URL(runtime.url);
  });
  after(async () => {
    expect(await runtime?.stop()).to.equal(0);
  });

  async function signIn(email: string) {
    const credentials = JSON.stringify({ email, password: "correct horse battery staple" });
    const headers = { "content-type": "application/json" };
    expect((await fetch(`${runtime.url}/auth/register`, { method: "POST", headers, body: credentials })).status).to.equal(201);
    const login = await fetch(`${runtime.url}/auth/login`, { method: "POST", headers, body: credentials });
    expect(login.status).to.equal(200);
    return (await login.json()) as { access_token: string; refresh_token: string };
  }

  const discover = async (algorithm: "oidc" | "oauth2", expected = issuer) =>
    oauth.processDiscoveryResponse(expected, await oauth.discoveryRequest(issuer, { algorithm, ...insecure }));

  it("discovers the server at both well-known paths, the issuer checked by the library", async () => {
    const oidc = await discover("oidc");
    const rfc8414 = await discover("oauth2");
    expect(rfc8414).to.deep.equal(oidc);
    expect(oidc.issuer).to.equal(runtime.url);
    expect(oidc.token_endpoint).to.equal(`${runtime.url}/oauth/token`);
    expect(oidc.revocation_endpoint).to.equal(`${runtime.url}/oauth/revoke`);
  });

  it("refuses the document when it expects another issuer (the check is live)", async () => {
    const error = await discover("oidc", new URL("http://auth.localhost")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(oauth.OperationProcessingError);
    expect((error as oauth.OperationProcessingError).code).to.equal(oauth.JSON_ATTRIBUTE_COMPARISON);
  });

  it("refreshes, revokes, and then gets invalid_grant for the revoked token", async () => {
    const as = await discover("oidc");
    const { refresh_token: first } = await signIn("oauth4webapi@example.com");

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), first, insecure));
    expect(refreshed.token_type).to.equal("bearer");
    expect(refreshed.refresh_token).to.be.a("string").and.not.equal(first);

    // jose follows the discovered jwks_uri and checks the issuer the document names.
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(refreshed.access_token, jwks, { issuer: as.issuer, typ: "at+jwt" });
    expect(protectedHeader.alg).to.be.oneOf(as.id_token_signing_alg_values_supported!);
    expect(payload.iss).to.equal(as.issuer);

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), refreshed.refresh_token!, { ...insecure, additionalParameters: { token_type_hint: "refresh_token" } }));

    const refused = await oauth
      .processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token!, insecure))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).to.be.instanceOf(oauth.ResponseBodyError);
    expect((refused as oauth.ResponseBodyError).error).to.equal("invalid_grant");
    expect((refused as oauth.ResponseBodyError).status).to.equal(400);
  });

  it("revokes a made-up token with 200, as RFC 7009 §2.2 asks", async () => {
    const as = await discover("oauth2");
    expect(await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), "made-up", insecure))).to.equal(undefined);
  });
});
