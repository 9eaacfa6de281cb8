import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { getItem } from "../handlers/lib/adapters/dynamo-calls.js";
import { dynamoEmailTokens } from "../handlers/lib/adapters/dynamo-email-tokens.js";
import { keys, TABLE } from "../handlers/lib/adapters/table-definition.js";
import { toEpochSeconds } from "../handlers/lib/domain/clock.js";
import {
  consumeEmailToken,
  INVALID_EMAIL_TOKEN,
  issueEmailToken,
  revokeEmailTokens,
  type EmailTokenDeps,
  type EmailTokenPurpose,
  type EmailTokenSubject,
} from "../handlers/lib/domain/email-tokens.js";
import { InvalidGrantError, TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import { manualClock, testConfig } from "./helpers/config.js";
import { localTable } from "./helpers/dynalite.js";

describe("single-use email tokens (on dynalite)", () => {
  let table: Awaited<ReturnType<typeof localTable>>;
  const clock = manualClock();
  // Lifetimes unlike the defaults, so a test fails if the code ignores the configuration.
  const config = testConfig({ emailVerificationTtlSeconds: 7200, passwordResetTtlSeconds: 600 });
  const lifetime: Record<EmailTokenPurpose, number> = { "verify-email": 7200, "reset-password": 600 };
  let deps: EmailTokenDeps;

  before(async () => {
    table = await localTable();
    deps = { emailTokens: dynamoEmailTokens(table.client, table.tableName), clock, config };
  });
  after(() => table.close());

  const subject = (tenant = "default"): EmailTokenSubject => ({ userId: randomUUID(), tenant, email: `${randomUUID()}@example.com` });
  const consume = (purpose: EmailTokenPurpose, token: string, tenant?: string) => consumeEmailToken(purpose, token, deps, { tenant });
  const stored = (userId: string, purpose: EmailTokenPurpose) => getItem(table.client, table.tableName, keys.emailToken(userId, purpose));

  /** The refusal every bad token gets: one class, one description. */
  async function refused(purpose: EmailTokenPurpose, token: string, tenant?: string): Promise<void> {
    const error = await consume(purpose, token, tenant).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `${purpose} ${token}`).to.be.instanceOf(InvalidGrantError);
    expect((error as InvalidGrantError).description).to.equal(INVALID_EMAIL_TOKEN);
  }

  /** Moves the clock for one block, then back, so tests do not depend on their order. */
  async function later(ms: number, block: () => Promise<void>): Promise<void> {
    clock.advance(ms);
    try {
      await block();
    } finally {
      clock.advance(-ms);
    }
  }

  /** The same token with one character of its secret changed (still well-formed). */
  const tampered = (token: string): string => {
    const last = token.at(-2) === "A" ? "B" : "A";
    return `${token.slice(0, -2)}${last}${token.at(-1)}`;
  };

  for (const purpose of ["verify-email", "reset-password"] as const) {
    describe(purpose, () => {
      it("issues a recognisable token whose consumption returns whom it was issued for", async () => {
        const user = subject("acme");
        const token = await issueEmailToken(purpose, user, deps);
        expect(token).to.match(purpose === "verify-email" ? /^ev1\./ : /^pr1\./);
        expect(token).to.match(/^[a-z0-9]{3}\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
        expect(await consume(purpose, token)).to.deep.equal(user);
      });

      it("stores the configured lifetime as the TTL attribute", async () => {
        const user = subject();
        await issueEmailToken(purpose, user, deps);
        const item = await stored(user.userId, purpose);
        expect(item?.[TABLE.ttlAttribute]?.N).to.equal(String(toEpochSeconds(clock()) + lifetime[purpose]));
      });

      it("accepts a token in the last second of its lifetime", async () => {
        const user = subject();
        const token = await issueEmailToken(purpose, user, deps);
        await later((lifetime[purpose] - 1) * 1000, async () => {
          expect(await consume(purpose, token)).to.deep.equal(user);
        });
      });

      it("refuses an expired token and deletes it (TTL deletion lags)", async () => {
        const user = subject();
        const token = await issueEmailToken(purpose, user, deps);
        await later(lifetime[purpose] * 1000, () => refused(purpose, token));
        expect(await stored(user.userId, purpose)).to.equal(undefined);
        // Back within its lifetime it is still refused: the refusal deleted it.
        await refused(purpose, token);
      });

      it("refuses a token used once already", async () => {
        const token = await issueEmailToken(purpose, subject(), deps);
        await consume(purpose, token);
        await refused(purpose, token);
      });
    });
  }

  it("refuses a token of the other purpose without consuming it, even relabelled", async () => {
    const user = subject();
    const token = await issueEmailToken("verify-email", user, deps);
    await refused("reset-password", token);
    // Relabelled as the other purpose it finds no item (nor would its hash match one).
    await refused("reset-password", token.replace(/^ev1\./, "pr1."));
    expect(await consume("verify-email", token)).to.deep.equal(user);
  });

  it("a pending token of one purpose does not let the other purpose's token through", async () => {
    const user = subject();
    const verify = await issueEmailToken("verify-email", user, deps);
    const reset = await issueEmailToken("reset-password", user, deps);
    // Same user, the other purpose's secret under this purpose's tag.
    await refused("reset-password", `pr1.${user.userId}.${verify.split(".")[2]}`);
    expect(await consume("reset-password", reset)).to.deep.equal(user);
    expect(await consume("verify-email", verify)).to.deep.equal(user);
  });

  it("refuses a tampered secret without consuming the token", async () => {
    const user = subject();
    const token = await issueEmailToken("reset-password", user, deps);
    await refused("reset-password", tampered(token));
    await refused("reset-password", `pr1.${user.userId}.${"A".repeat(43)}`);
    expect(await consume("reset-password", token)).to.deep.equal(user);
  });

  it("refuses another user's secret under this user's id, consuming neither", async () => {
    const alice = subject();
    const bob = subject();
    const aliceToken = await issueEmailToken("reset-password", alice, deps);
    const bobToken = await issueEmailToken("reset-password", bob, deps);
    await refused("reset-password", `pr1.${alice.userId}.${bobToken.split(".")[2]}`);
    await refused("reset-password", `pr1.${bob.userId}.${aliceToken.split(".")[2]}`);
    expect(await consume("reset-password", aliceToken)).to.deep.equal(alice);
    expect(await consume("reset-password", bobToken)).to.deep.equal(bob);
  });

  it("refuses a token presented for another tenant without consuming it", async () => {
    const user = subject("acme");
    const token = await issueEmailToken("verify-email", user, deps);
    await refused("verify-email", token, "default");
    expect(await consume("verify-email", token, "acme")).to.deep.equal(user);
  });

  it("a second issue replaces the first: the earlier link is refused", async () => {
    const user = subject();
    const first = await issueEmailToken("verify-email", user, deps);
    const second = await issueEmailToken("verify-email", user, deps);
    expect(second).not.to.equal(first);
    await refused("verify-email", first);
    expect(await consume("verify-email", second)).to.deep.equal(user);
  });

  it("revokes a user's pending tokens: of all purposes by default, or of the ones named", async () => {
    const user = subject();
    const other = subject();
    const otherToken = await issueEmailToken("reset-password", other, deps);

    let verify = await issueEmailToken("verify-email", user, deps);
    let reset = await issueEmailToken("reset-password", user, deps);
    await revokeEmailTokens(user.userId, deps, ["reset-password"]);
    await refused("reset-password", reset);
    expect(await consume("verify-email", verify)).to.deep.equal(user);

    verify = await issueEmailToken("verify-email", user, deps);
    reset = await issueEmailToken("reset-password", user, deps);
    await revokeEmailTokens(user.userId, deps);
    await refused("verify-email", verify);
    await refused("reset-password", reset);
    // Revoking nothing pending is fine; another user's token is untouched.
    await revokeEmailTokens(user.userId, deps);
    expect(await consume("reset-password", otherToken)).to.deep.equal(other);
  });

  it("of 20 concurrent consumptions of one token exactly one succeeds", async () => {
    const user = subject();
    const token = await issueEmailToken("reset-password", user, deps);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => consume("reset-password", token)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).to.have.length(1);
    expect((won[0] as PromiseFulfilledResult<unknown>).value).to.deep.equal(user);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).to.be.instanceOf(InvalidGrantError);
    }
  });

  it("refuses malformed tokens alike", async () => {
    const user = subject();
    const token = await issueEmailToken("verify-email", user, deps);
    const [, , secret] = token.split(".");
    const malformed = [
      "",
      ".",
      "..",
      secret,
      `${user.userId}.${secret}`,
      `ev2.${user.userId}.${secret}`,
      `EV1.${user.userId}.${secret}`,
      `ev1.${user.userId.toUpperCase()}.${secret}`,
      `ev1.${user.userId}.${secret}.`,
      `ev1.${user.userId}.${secret}.x`,
      `ev1.${user.userId}.${secret}=`,
      `ev1.${user.userId}.${secret.slice(1)}`,
      `ev1.${user.userId}.${secret}A`,
      `ev1.${user.userId}.${secret.slice(0, -1)}+`,
      ` ${token}`,
      `${token} `,
      `ev1.not-a-user.${secret}`,
      `ev1.${user.userId}#reset-password.${secret}`,
      token.repeat(2),
      "x".repeat(10_000),
    ];
    for (const bad of malformed) await refused("verify-email", bad);
    // None of them consumed it.
    expect(await consume("verify-email", token)).to.deep.equal(user);
  });

  it("a store failure is 503 temporarily_unavailable, never a refusal of the token", async () => {
    // A real DynamoDB API, a table that is not there: every call fails as it would in an outage.
    const broken: EmailTokenDeps = { ...deps, emailTokens: dynamoEmailTokens(table.client, `missing-${randomUUID()}`) };
    const user = subject();
    const calls: Array<() => Promise<unknown>> = [
      () => issueEmailToken("verify-email", user, broken),
      () => consumeEmailToken("verify-email", `ev1.${user.userId}.${"A".repeat(43)}`, broken),
      () => revokeEmailTokens(user.userId, broken),
    ];
    for (const call of calls) {
      expect(await call().then(() => undefined, (e: unknown) => e)).to.be.instanceOf(TemporarilyUnavailableError);
    }
  });

  it("stores no usable token: the raw items hold neither a secret nor a token", async () => {
    const tokens = await Promise.all([issueEmailToken("verify-email", subject(), deps), issueEmailToken("reset-password", subject(), deps)]);
    const { Items = [] } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
    const raw = JSON.stringify(Items);
    expect(raw).to.include("EMAILTOKEN#");
    for (const token of tokens) {
      const secret = token.split(".")[2];
      expect(raw).not.to.include(secret);
      expect(raw).not.to.include(Buffer.from(secret, "base64url").toString("hex"));
      expect(raw).not.to.include(Buffer.from(secret, "base64url").toString("base64"));
    }
  });
});
