/**
 * TOTP at the domain level, with a manual clock: the ±1-step window, replay (the same code,
 * or an earlier one, never twice), a code raced by concurrent requests, against the real
 * conditional writes of the DynamoDB adapter on dynalite. Also the secret box (the local
 * AES-GCM twin, and the KMS adapter against a fake KMS answering with real AES-GCM) and the
 * recovery codes.
 */
import { DecryptCommand, EncryptCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import { dynamoMfa } from "../handlers/lib/adapters/dynamo-mfa.js";
import type { KmsSend } from "../handlers/lib/adapters/kms-call.js";
import { kmsSecretBox } from "../handlers/lib/adapters/kms-secret-box.js";
import { localSecretBox } from "../handlers/lib/adapters/local-secret-box.js";
import { InvalidGrantError, InvalidRequestError, TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import { totpContext, useRecoveryCode, useTotpCode } from "../handlers/lib/domain/mfa-proofs.js";
import type { MfaStore } from "../handlers/lib/domain/mfa-store.js";
import { hashRecoveryCode, newRecoveryCodes, readRecoveryCode } from "../handlers/lib/domain/recovery-codes.js";
import { SealedSecretError } from "../handlers/lib/domain/secret-box.js";
import type { AuthStore, UserRecord } from "../handlers/lib/domain/store.js";
import { codeAt, matchingStep, newTotpSecret, readTotpCode, stepAt } from "../handlers/lib/domain/totp.js";
import { manualClock } from "./helpers/config.js";
import { localTable } from "./helpers/dynalite.js";

const STEP_MS = 30_000;

describe("TOTP (domain, manual clock, dynalite)", function () {
  this.timeout(30_000);
  let table: Awaited<ReturnType<typeof localTable>>;
  let mfa: MfaStore;
  let store: AuthStore;
  const secretBox = localSecretBox(randomBytes(32));

  before(async () => {
    table = await localTable();
    store = table.store;
    mfa = dynamoMfa(table.client, table.tableName);
  });
  after(() => table?.close());

  /** A user with MFA on and the given secret; its enrolment used a step long ago. */
  async function enrolled(secret: Uint8Array, now: number): Promise<UserRecord> {
    const user: UserRecord = {
      userId: randomUUID(),
      tenant: "default",
      email: `totp-${randomBytes(4).toString("hex")}@example.com`,
      passwordHash: "unused",
      createdAt: new Date(now).toISOString(),
      sessionVersion: 0,
      emailVerified: true,
    };
    await store.createUser(user);
    const sealed = await secretBox.seal(secret, totpContext(user.userId));
    const key = { tenant: user.tenant, email: user.email, userId: user.userId };
    expect(await mfa.setPendingTotp(key, sealed)).to.equal(true);
    expect(await mfa.activateTotp(key, sealed, stepAt(now) - 100, [hashRecoveryCode(user.userId, "0000-0000-0000-0000")])).to.equal(true);
    return (await store.getUser(user.tenant, user.email))!;
  }
  /** The user as a request would read it now. */
  const reload = async (user: UserRecord) => (await store.getUser(user.tenant, user.email))!;

  it("matches a code within one step either way, and not two steps away (RFC 6238 §5.2)", () => {
    const secret = newTotpSecret();
    // The middle of a step, so ±1 and ±2 steps are whole steps away.
    const now = Date.UTC(2026, 0, 1) + STEP_MS / 2;
    const step = stepAt(now);
    for (const delta of [-1, 0, 1]) expect(matchingStep(secret, codeAt(secret, step + delta), now), `step ${delta}`).to.equal(step + delta);
    for (const delta of [-2, 2, 10]) expect(matchingStep(secret, codeAt(secret, step + delta), now), `step ${delta}`).to.equal(undefined);
    expect(matchingStep(newTotpSecret(), codeAt(secret, step), now), "another secret").to.equal(undefined);
  });

  it("accepts a skewed code (±1 step) and refuses one two steps away, through the store", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1) + STEP_MS / 2);
    const secret = newTotpSecret();
    const deps = { secretBox, mfa, clock };
    const late = await enrolled(secret, clock());
    await useTotpCode(late, codeAt(secret, stepAt(clock()) - 1), deps);
    const early = await enrolled(secret, clock());
    await useTotpCode(early, codeAt(secret, stepAt(clock()) + 1), deps);
    const far = await enrolled(secret, clock());
    for (const delta of [-2, 2]) {
      const error = await useTotpCode(far, codeAt(secret, stepAt(clock()) + delta), deps).catch((e) => e);
      expect(error, `step ${delta}`).to.be.instanceOf(InvalidGrantError);
    }
  });

  it("never accepts a code twice, nor an earlier one after a later was used", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1) + STEP_MS / 2);
    const secret = newTotpSecret();
    const deps = { secretBox, mfa, clock };
    const user = await enrolled(secret, clock());
    const now = stepAt(clock());
    await useTotpCode(user, codeAt(secret, now), deps);
    // Replayed by a request that read the user before the first use, and by one after it.
    expect(await useTotpCode(user, codeAt(secret, now), deps).catch((e) => e)).to.be.instanceOf(InvalidGrantError);
    expect(await useTotpCode(await reload(user), codeAt(secret, now), deps).catch((e) => e)).to.be.instanceOf(InvalidGrantError);
    // The previous step's code is still in the window, but earlier than the one used.
    expect(await useTotpCode(await reload(user), codeAt(secret, now - 1), deps).catch((e) => e)).to.be.instanceOf(InvalidGrantError);
    // The next step's code is fine, once.
    await useTotpCode(await reload(user), codeAt(secret, now + 1), deps);
    clock.advance(STEP_MS);
    expect(await useTotpCode(await reload(user), codeAt(secret, now + 1), deps).catch((e) => e)).to.be.instanceOf(InvalidGrantError);
    expect((await reload(user)).mfa?.lastStep).to.equal(now + 1);
  });

  it("of concurrent requests with the same code, exactly one gets through", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1) + STEP_MS / 2);
    const secret = newTotpSecret();
    const user = await enrolled(secret, clock());
    const code = codeAt(secret, stepAt(clock()));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => useTotpCode(user, code, { secretBox, mfa, clock })));
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).to.be.instanceOf(InvalidGrantError);
  });

  it("a recovery code works once, also under concurrent use", async () => {
    const clock = manualClock();
    const user = await enrolled(newTotpSecret(), clock());
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => useRecoveryCode(user, "0000-0000-0000-0000", { mfa })));
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(1);
    expect((await reload(user)).mfa?.recoveryCodes).to.deep.equal([]);
  });

  it("reads codes as typed: spaces dropped, anything but six digits refused", () => {
    expect(readTotpCode(" 123 456 ")).to.equal("123456");
    for (const bad of ["12345", "1234567", "12345a", "", "１２３４５６"]) expect(() => readTotpCode(bad), bad).to.throw(InvalidRequestError);
  });

  describe("recovery codes", () => {
    it("are ten, distinct, 16 Crockford base32 characters (80 bits) in groups of four", () => {
      const codes = newRecoveryCodes();
      expect(codes).to.have.length(10);
      expect(new Set(codes).size).to.equal(10);
      for (const code of codes) expect(code).to.match(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    });

    it("read case, hyphens, spaces and look-alikes (I, L as 1, O as 0) alike; hash bound to the user", () => {
      expect(readRecoveryCode("abcd-efgh-jkmn-pqrs")).to.equal("ABCDEFGHJKMNPQRS");
      expect(readRecoveryCode(" OILo 0000 1111 2222")).to.equal("0110000011112222");
      for (const bad of ["abcd-efgh-jkmn-pqr", "abcd-efgh-jkmn-pqrsu", "uuuu-uuuu-uuuu-uuuu"]) expect(() => readRecoveryCode(bad), bad).to.throw(InvalidRequestError);
      const [code] = newRecoveryCodes();
      expect(hashRecoveryCode("u1", code)).to.equal(hashRecoveryCode("u1", code.toUpperCase().replace(/-/g, "")));
      expect(hashRecoveryCode("u1", code)).not.to.equal(hashRecoveryCode("u2", code));
    });
  });

  describe("secret box", () => {
    const alice = totpContext("11111111-1111-4111-8111-111111111111");
    const bob = totpContext("22222222-2222-4222-8222-222222222222");

    it("local AES-256-GCM twin: opens for the same user only; a tampered byte does not open", async () => {
      const secret = newTotpSecret();
      const sealed = await secretBox.seal(secret, alice);
      expect(Buffer.from(sealed).includes(Buffer.from(secret))).to.equal(false);
      expect(Buffer.from(await secretBox.open(sealed, alice))).to.deep.equal(Buffer.from(secret));
      expect(await secretBox.open(sealed, bob).catch((e) => e), "copied to another user").to.be.instanceOf(SealedSecretError);
      const tampered = Uint8Array.from(sealed);
      tampered[20] ^= 1;
      expect(await secretBox.open(tampered, alice).catch((e) => e)).to.be.instanceOf(SealedSecretError);
      expect(await localSecretBox(randomBytes(32)).open(sealed, alice).catch((e) => e), "another key").to.be.instanceOf(SealedSecretError);
    });

    /** Stands in for KMS Encrypt/Decrypt: real AES-256-GCM under a key only it holds, the EncryptionContext as associated data. */
    function fakeKms(options: { fail?: boolean } = {}) {
      const key = randomBytes(32);
      const calls: Array<Record<string, unknown>> = [];
      const aad = (context: Record<string, string> | undefined) => Buffer.from(JSON.stringify(Object.entries(context ?? {}).sort()));
      const kms: KmsSend = {
        send: (async (command: unknown) => {
          if (options.fail) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
          if (command instanceof EncryptCommand) {
            const { KeyId, EncryptionContext, EncryptionAlgorithm, Plaintext } = command.input;
            calls.push({ op: "Encrypt", KeyId, EncryptionContext, EncryptionAlgorithm });
            const iv = randomBytes(12);
            const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad(EncryptionContext));
            const body = Buffer.concat([cipher.update(Plaintext!), cipher.final()]);
            return { CiphertextBlob: new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()])), KeyId };
          }
          if (command instanceof DecryptCommand) {
            const { KeyId, EncryptionContext, EncryptionAlgorithm, CiphertextBlob } = command.input;
            calls.push({ op: "Decrypt", KeyId, EncryptionContext, EncryptionAlgorithm });
            const blob = Buffer.from(CiphertextBlob!);
            try {
              const decipher = createDecipheriv("aes-256-gcm", key, blob.subarray(0, 12)).setAAD(aad(EncryptionContext));
              decipher.setAuthTag(blob.subarray(blob.length - 16));
              return { Plaintext: new Uint8Array(Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()])), KeyId };
            } catch {
              throw Object.assign(new Error("InvalidCiphertextException"), { name: "InvalidCiphertextException" });
            }
          }
          throw new Error("unexpected command");
        }) as KmsSend["send"],
      };
      return { kms, calls };
    }
    const KEY_ID = "arn:aws:kms:eu-west-1:111122223333:key/secrets";

    it("KMS: Encrypt and Decrypt with SYMMETRIC_DEFAULT on the configured key, bound by the encryption context", async () => {
      const { kms, calls } = fakeKms();
      const box = kmsSecretBox(kms, KEY_ID);
      const secret = newTotpSecret();
      const sealed = await box.seal(secret, alice);
      expect(Buffer.from(await box.open(sealed, alice))).to.deep.equal(Buffer.from(secret));
      const context = { purpose: "totp-secret", user_id: alice.userId };
      expect(calls).to.deep.equal([
        { op: "Encrypt", KeyId: KEY_ID, EncryptionContext: context, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
        { op: "Decrypt", KeyId: KEY_ID, EncryptionContext: context, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
      ]);
      expect(await box.open(sealed, bob).catch((e) => e), "copied to another user").to.be.instanceOf(SealedSecretError);
    });

    it("KMS: an outage is temporarily_unavailable, with the cause kept for the log", async () => {
      const box = kmsSecretBox(fakeKms({ fail: true }).kms, KEY_ID);
      const error = await box.seal(newTotpSecret(), alice).catch((e) => e);
      expect(error).to.be.instanceOf(TemporarilyUnavailableError);
      expect(error.cause).to.have.property("name", "ThrottlingException");
      expect(await box.open(new Uint8Array(40), alice).catch((e) => e)).to.be.instanceOf(TemporarilyUnavailableError);
    });
  });
});
