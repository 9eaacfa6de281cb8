import { expect } from "chai";
import { GetPublicKeyCommand, SignCommand } from "@aws-sdk/client-kms";
import { createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { issueAccessToken } from "../handlers/lib/domain/access-token.js";
import { TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import { spkiOf, verificationKey } from "../handlers/lib/domain/keys.js";
import { derToJose, kmsSigner, type KmsSend } from "../handlers/lib/adapters/kms-signer.js";
import { verifyAccessToken } from "../handlers/lib/domain/verify-access-token.js";
import { testConfig } from "./helpers/config.js";
import { p256 } from "./helpers/keys.js";

/**
 * A stand-in for AWS KMS (which cannot run here) that answers with real cryptography:
 * Sign returns a DER ECDSA signature from a real P-256 key, GetPublicKey its DER SPKI.
 */
function fakeKms(privateKey: KeyObject, keyId: string, options: { fail?: boolean } = {}) {
  const calls: string[] = [];
  const kms: KmsSend = {
    send: (async (command: unknown) => {
      if (options.fail) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      if (command instanceof SignCommand) {
        const input = command.input;
        calls.push(`Sign ${input.KeyId} ${input.SigningAlgorithm} ${input.MessageType}`);
        if (input.KeyId !== keyId) throw Object.assign(new Error("not found"), { name: "NotFoundException" });
        return { Signature: sign("sha256", Buffer.from(input.Message!), { key: privateKey, dsaEncoding: "der" }), KeyId: keyId };
      }
      if (command instanceof GetPublicKeyCommand) {
        calls.push(`GetPublicKey ${command.input.KeyId}`);
        return { PublicKey: createPublicKey(privateKey).export({ format: "der", type: "spki" }), KeySpec: "ECC_NIST_P256" };
      }
      throw new Error("unexpected command");
    }) as KmsSend["send"],
  };
  return { kms, calls };
}

const KEY_ID = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c";

describe("KMS signer", () => {
  const key = p256();

  it("signs tokens that verify with the public key (ES256, JOSE r||s)", async () => {
    const { kms, calls } = fakeKms(key.privateKey, KEY_ID);
    const signer = await kmsSigner(kms, KEY_ID, spkiOf(key.publicKey));
    expect(signer.alg).to.equal("ES256");
    expect(signer.kid).to.equal(key.verification.kid);
    const config = testConfig();
    const now = Date.now();
    const { token } = await issueAccessToken({ userId: "u", email: "e@x.io", tenant: "default", sid: "s" }, { signer, config, now });
    const claims = verifyAccessToken(token, { keys: [key.verification], issuer: config.issuer, audiences: config.tenants, clockToleranceSeconds: 0, maxLifetimeSeconds: config.accessTokenTtlSeconds, now });
    expect(claims.sub).to.equal("u");
    expect(Buffer.from(token.split(".")[2], "base64url")).to.have.length(64);
    expect(calls).to.deep.equal([`Sign ${KEY_ID} ECDSA_SHA_256 RAW`]);
  });

  it("asks KMS for the public key once when none is configured", async () => {
    const { kms, calls } = fakeKms(key.privateKey, KEY_ID);
    const signer = await kmsSigner(kms, KEY_ID);
    expect(signer.kid).to.equal(verificationKey(key.publicKey).kid);
    expect(calls).to.deep.equal([`GetPublicKey ${KEY_ID}`]);
  });

  it("turns a KMS failure into temporarily_unavailable, keeping the cause for the log", async () => {
    const { kms } = fakeKms(key.privateKey, KEY_ID, { fail: true });
    const signer = await kmsSigner(kms, KEY_ID, spkiOf(key.publicKey));
    const error = await signer.sign(Buffer.from("x")).catch((e) => e);
    expect(error).to.be.instanceOf(TemporarilyUnavailableError);
    expect((error as Error).cause).to.have.property("name", "ThrottlingException");
  });

  describe("derToJose", () => {
    it("matches node's own JOSE encoding over 2,000 real signatures (short r and s included)", () => {
      let short = 0;
      for (let i = 0; i < 2000; i++) {
        const data = Buffer.from(`message ${i}`);
        const der = sign("sha256", data, { key: key.privateKey, dsaEncoding: "der" });
        if (der.length < 70) short++;
        const jose = derToJose(der, 32);
        expect(jose).to.have.length(64);
        expect(verify("sha256", data, { key: key.publicKey, dsaEncoding: "ieee-p1363" }, jose), `signature ${i}`).to.equal(true);
      }
      // r or s below 2^248 (a short DER integer) happens about 1 in 128 signatures per half.
      expect(short).to.be.greaterThan(0);
    });

    it("refuses malformed DER", () => {
      const der = sign("sha256", Buffer.from("m"), { key: key.privateKey, dsaEncoding: "der" });
      const bad = [Buffer.alloc(0), Buffer.from([0x31, 0x00]), der.subarray(0, der.length - 1), Buffer.concat([der, Buffer.from([0])]), Buffer.from([0x30, 0x04, 0x02, 0x40, 0x00, 0x00])];
      for (const input of bad) expect(() => derToJose(input, 32), input.toString("hex")).to.throw(/malformed/);
    });
  });
});
