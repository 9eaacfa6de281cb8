import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { dynamoStore } from "../handlers/lib/dynamo-store.js";
import { TemporarilyUnavailableError } from "../handlers/lib/errors.js";

describe("DynamoDB store when the table cannot be reached", () => {
  // Tests run on the machine's Node; Lambda runs 22. Silence the SDK's warning about it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // Port 9 (discard) on loopback: nothing listens, so every call fails to connect.
  const client = new DynamoDBClient({
    endpoint: "http://127.0.0.1:9",
    region: "us-east-1",
    maxAttempts: 1,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const store = dynamoStore(client, "users");
  after(() => client.destroy());

  const operations: Array<[string, () => Promise<unknown>]> = [
    ["getUser", () => store.getUser("default", "a@example.com")],
    ["getSession", () => store.getSession("sid")],
    ["rotateSession", () => store.rotateSession("sid", "a", "b", 0)],
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
