/** The refresh-token key: the KMS HMAC adapter (against a fake answering with real HMAC) and its local twin. */
import { GenerateMacCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KmsSend } from "../handlers/lib/adapters/kms-call.js";
import { kmsMacKey } from "../handlers/lib/adapters/kms-mac-key.js";
import { loadOrCreateMacKeyFile, localMacKey } from "../handlers/lib/adapters/local-mac-key.js";
import { accountRefUnder } from "../handlers/lib/domain/account-ref.js";
import { ConfigError, TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import { isGenuine, parseRefreshToken, refreshTokenFor } from "../handlers/lib/domain/refresh-token.js";
import { macKeyFromEnv } from "../handlers/lib/runtime/mac-key-from-env.js";

const KEY_ID = "arn:aws:kms:eu-west-1:111122223333:key/mac";

/** Stands in for KMS GenerateMac: real HMAC-SHA-256 with a key only it holds. */
function fakeKms(secret: Buffer, options: { fail?: boolean } = {}) {
  const calls: Array<Record<string, unknown>> = [];
  const kms: KmsSend = {
    send: (async (command: unknown) => {
      if (options.fail) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      if (!(command instanceof GenerateMacCommand)) throw new Error("unexpected command");
      const { KeyId, MacAlgorithm, Message } = command.input;
      calls.push({ KeyId, MacAlgorithm });
      return { Mac: createHmac("sha256", secret).update(Message!).digest(), KeyId, MacAlgorithm };
    }) as KmsSend["send"],
  };
  return { kms, calls };
}

describe("refresh-token key", () => {
  const secret = randomBytes(32);

  it("KMS: GenerateMac with HMAC_SHA_256 on the configured key, the same MACs as the local twin", async () => {
    const { kms, calls } = fakeKms(secret);
    const viaKms = await refreshTokenFor("A".repeat(22), 3, kmsMacKey(kms, KEY_ID));
    expect(calls).to.deep.equal([{ KeyId: KEY_ID, MacAlgorithm: "HMAC_SHA_256" }]);
    expect(viaKms).to.equal(await refreshTokenFor("A".repeat(22), 3, localMacKey(secret)));
    expect(await isGenuine(parseRefreshToken(viaKms)!, localMacKey(secret))).to.equal(true);
    expect(await isGenuine(parseRefreshToken(viaKms)!, localMacKey(randomBytes(32))), "another key").to.equal(false);
  });

  it("binds the mac to the sid and the generation", async () => {
    const key = localMacKey(secret);
    const { mac } = parseRefreshToken(await refreshTokenFor("A".repeat(22), 1, key))!;
    expect(await isGenuine({ sid: "A".repeat(22), generation: 2, mac }, key)).to.equal(false);
    expect(await isGenuine({ sid: "B".repeat(22), generation: 1, mac }, key)).to.equal(false);
    expect(await isGenuine({ sid: "A".repeat(22), generation: 1, mac }, key)).to.equal(true);
  });

  it("KMS failure is temporarily_unavailable, with the cause kept for the log", async () => {
    const error = await kmsMacKey(fakeKms(secret, { fail: true }).kms, KEY_ID).mac("x").catch((e) => e);
    expect(error).to.be.instanceOf(TemporarilyUnavailableError);
    expect(error.cause).to.have.property("name", "ThrottlingException");
  });

  describe("local key file", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "mac-key-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("is created once, 256 bits, readable by its owner only, and reloaded as is", () => {
      const file = join(dir, "refresh-token-key");
      const first = loadOrCreateMacKeyFile(file);
      expect(first).to.have.length(32);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(loadOrCreateMacKeyFile(file).equals(first)).to.equal(true);
    });

    it("refuses a short or garbage file, naming it", () => {
      const file = join(dir, "refresh-token-key");
      for (const content of ["", "not base64 at all!", randomBytes(16).toString("base64")]) {
        writeFileSync(file, content);
        expect(() => loadOrCreateMacKeyFile(file)).to.throw(file);
      }
    });
  });

  it("requires a key from the environment: KMS in AWS or a key file locally", () => {
    expect(() => macKeyFromEnv({})).to.throw(ConfigError).with.property("variable", "REFRESH_TOKEN_KEY_ID");
    expect(macKeyFromEnv({ REFRESH_TOKEN_KEY_ID: KEY_ID })).to.have.property("mac");
  });
});

describe("account reference for logs", () => {
  it("is stable for one key (correlates across instances), differs per account and per key, and reveals no email", async () => {
    const secret = randomBytes(32);
    const a = await accountRefUnder(localMacKey(secret))("default", "ada@example.com");
    expect(await accountRefUnder(localMacKey(secret))("default", "ada@example.com"), "another instance, same key").to.equal(a);
    expect(await accountRefUnder(localMacKey(secret))("acme", "ada@example.com")).not.to.equal(a);
    expect(await accountRefUnder(localMacKey(randomBytes(32)))("default", "ada@example.com")).not.to.equal(a);
    expect(a).to.match(/^[A-Za-z0-9_-]{22}$/);
  });

  it("derives its key with one MAC per cold start, and never throws when the key service fails", async () => {
    const { kms, calls } = fakeKms(randomBytes(32));
    const ref = accountRefUnder(kmsMacKey(kms, KEY_ID));
    await ref("default", "a@example.com");
    await ref("default", "b@example.com");
    expect(calls).to.have.length(1);
    const failing = accountRefUnder(kmsMacKey(fakeKms(randomBytes(32), { fail: true }).kms, KEY_ID));
    expect(await failing("default", "a@example.com")).to.equal("unavailable");
  });
});
