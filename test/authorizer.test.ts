/**
 * The real authorizer bundle (esbuild output, as deployed) invoked with API Gateway v2
 * REQUEST authorizer events.
 */
import { expect } from "chai";
import type { AuthorizerEvent, AuthorizerResult } from "../handlers/authorizer.js";
import { issueAccessToken } from "../handlers/lib/domain/access-token.js";
import { spkiOf } from "../handlers/lib/domain/keys.js";
import { loadAuthorizerBundle } from "./helpers/authorizer-bundle.js";
import { removeBundles } from "./helpers/bundles.js";
import { testConfig } from "./helpers/config.js";
import { p256 } from "./helpers/keys.js";

describe("authorizer bundle", function () {
  this.timeout(120_000);
  const key = p256();
  const retired = p256();
  const config = testConfig();
  let handler: (event: AuthorizerEvent) => Promise<AuthorizerResult>;
  let restoreEnv = () => {};

  before(async () => {
    ({ handler, restore: restoreEnv } = await loadAuthorizerBundle({
      ISSUER: config.issuer,
      TENANTS: config.tenants.join(","),
      JWT_PUBLIC_KEYS: `${spkiOf(key.publicKey)}, ${spkiOf(retired.publicKey)}`,
      LOG_LEVEL: "error",
    }));
  });
  after(() => {
    restoreEnv();
    removeBundles();
  });

  const token = async (signer = key.signer, overrides: { tenant?: string; now?: number } = {}) =>
    (
      await issueAccessToken(
        { userId: "u-1", email: "a@example.com", tenant: overrides.tenant ?? "acme", sid: "s-1", emailVerified: true },
        { signer, config, now: overrides.now ?? Date.now() },
      )
    ).token;
  const event = (headers?: Record<string, string>): AuthorizerEvent => ({ headers, requestContext: { requestId: "r" } });

  it("allows a valid token and passes sub, email, sid and tenant on", async () => {
    const result = await handler(event({ authorization: `Bearer ${await token()}` }));
    expect(result).to.deep.equal({ isAuthorized: true, context: { sub: "u-1", email: "a@example.com", email_verified: true, sid: "s-1", tenant: "acme", amr: "pwd" } });
  });

  it("passes amr on as a space-separated string: [pwd, otp] after a second factor", async () => {
    const t = (await issueAccessToken({ userId: "u-1", email: "a@example.com", tenant: "acme", sid: "s-1", emailVerified: true, amr: ["pwd", "otp"] }, { signer: key.signer, config, now: Date.now() })).token;
    expect((await handler(event({ authorization: `Bearer ${t}` }))).context?.amr).to.equal("pwd otp");
  });

  it("treats the header name and the Bearer scheme case-insensitively", async () => {
    const t = await token();
    for (const [name, scheme] of [["Authorization", "Bearer"], ["AUTHORIZATION", "bearer"], ["authorization", "BEARER"], ["authorization", "bEaReR"]]) {
      expect((await handler(event({ [name]: `${scheme} ${t}` }))).isAuthorized, `${name}: ${scheme}`).to.equal(true);
    }
  });

  it("accepts tokens signed by any listed key (rotation)", async () => {
    expect((await handler(event({ authorization: `Bearer ${await token(retired.signer)}` }))).isAuthorized).to.equal(true);
  });

  it("denies everything else, with no context", async () => {
    const t = await token();
    const denied: Array<Record<string, string> | undefined> = [
      undefined,
      {},
      { authorization: "" },
      { authorization: t },
      { authorization: `Basic ${t}` },
      { authorization: `Token ${t}` },
      { authorization: "Bearer" },
      { authorization: `Bearer ${t} extra` },
      { authorization: `Bearer ${t}x` },
      { authorization: `Bearer ${await token(p256().signer)}` },
      { authorization: `Bearer ${await token(key.signer, { tenant: "unserved" })}` },
      { authorization: `Bearer ${await token(key.signer, { now: Date.now() - 2 * 3600_000 })}` },
    ];
    for (const headers of denied) {
      expect(await handler(event(headers)), JSON.stringify(headers)?.slice(0, 60)).to.deep.equal({ isAuthorized: false });
    }
  });
});
