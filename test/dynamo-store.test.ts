import { expect } from "chai";
import { dynamoStore } from "../handlers/lib/adapters/dynamo-store.js";
import { TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import { localDynamoClient } from "../local/dynalite.js";

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
