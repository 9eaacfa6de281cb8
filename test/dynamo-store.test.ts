import { expect } from "chai";
import { dynamoStore } from "../handlers/lib/adapters/dynamo-store.js";
import { TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import { localDynamoClient } from "../local/dynalite.js";
import { localTable } from "./helpers/dynalite.js";

describe("DynamoDB store when the table cannot be reached", () => {
  // Port 9 (discard) on loopback: nothing listens, so every call fails to connect.
  const client = localDynamoClient("http://127.0.0.1:9", { maxAttempts: 1 });
  const store = dynamoStore(client, "users");
  after(() => client.destroy());

  const operations: Array<[string, () => Promise<unknown>]> = [
    ["getUser", () => store.getUser("default", "a@example.com")],
    ["getSession", () => store.getSession("sid")],
    ["rotateSession", () => store.rotateSession("sid", 0, 0)],
    ["revokeSession", () => store.revokeSession("sid")],
  ];
  for (const [name, operation] of operations) {
    it(`${name} fails as temporarily_unavailable, keeping the cause for the log`, async () => {
      const error = await operation().then(() => undefined, (e) => e);
      expect(error).to.be.instanceOf(TemporarilyUnavailableError);
      expect(error.description).to.equal("the user store is unavailable, try again shortly");
      expect(error.cause).to.be.instanceOf(Error);
    });
  }
});

describe("DynamoDB store: the email_verified attribute", () => {
  let table: Awaited<ReturnType<typeof localTable>>;
  before(async () => {
    table = await localTable();
  });
  after(() => table?.close());

  const user = (userId: string) => ({
    userId,
    tenant: "default",
    email: "verified@example.com",
    passwordHash: "h",
    createdAt: new Date(0).toISOString(),
    sessionVersion: 0,
    emailVerified: false,
  });

  it("is marked only on the account it was meant for: not on one deleted and registered again under the email", async () => {
    await table.store.createUser(user("00000000-0000-4000-8000-00000000000a"));
    expect(await table.store.deleteUser("default", "verified@example.com", "00000000-0000-4000-8000-00000000000a")).to.equal(true);
    await table.store.createUser(user("00000000-0000-4000-8000-00000000000b"));
    expect(await table.store.markEmailVerified("default", "verified@example.com", "00000000-0000-4000-8000-00000000000a")).to.equal(false);
    expect((await table.store.getUser("default", "verified@example.com"))!.emailVerified).to.equal(false);
    expect(await table.store.markEmailVerified("default", "verified@example.com", "00000000-0000-4000-8000-00000000000b")).to.equal(true);
    expect((await table.store.getUser("default", "verified@example.com"))!.emailVerified).to.equal(true);
    expect(await table.store.markEmailVerified("default", "nobody@example.com", "00000000-0000-4000-8000-00000000000b"), "never creates an item").to.equal(false);
    expect(await table.store.getUser("default", "nobody@example.com")).to.equal(undefined);
  });

  it("is set by a password change that verifies (a reset), which also bumps the session version; a plain change leaves it", async () => {
    const id = "00000000-0000-4000-8000-00000000000c";
    await table.store.createUser({ ...user(id), email: "change@example.com" });
    expect(await table.store.changePassword("default", "change@example.com", id, "h2")).to.equal(1);
    expect((await table.store.getUser("default", "change@example.com"))!).to.include({ emailVerified: false, passwordHash: "h2" });
    expect(await table.store.changePassword("default", "change@example.com", id, "h3", { verifyEmail: true })).to.equal(2);
    expect((await table.store.getUser("default", "change@example.com"))!).to.include({ emailVerified: true, passwordHash: "h3", sessionVersion: 2 });
  });
});
