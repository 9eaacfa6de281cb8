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
    const { token } = await issueAccessToken({ userId: "u", email: "e@x.io", tenant: "default", sid: "s", emailVerified: false }, { signer, config, now });
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
    /**
     * Real signatures by one fixed P-256 key (found once by signing numbered messages, kept
     * here so the rare shapes are tested on every run). A DER INTEGER is shorter than 32
     * bytes only when r (or s) is below 2^247: about 1 signature in 512 per integer, and a
     * whole signature shorter than 70 DER bytes about 1 in 550 (measured: 362 in 200,000).
     */
    const FIXED_KEY = createPublicKey({
      key: { kty: "EC", crv: "P-256", x: "iqETh5u9wOB8S4azQXjshMaM4_mHcV51JxtOHQooGAE", y: "7PI2KkMg_tPnALwBfToahSDgZp-hWXxYLD3yRH8PpWk" },
      format: "jwk",
    });
    const VECTORS = [
      {
        shape: "31-byte r, s with a leading 0x00",
        message: "short r 427",
        lengths: [31, 33],
        der: "3044021f5bd5a170f18d550ae6673aa69694133175ef642ec841b8ae8885403a39e0b6022100a6576b23db6886f98df99f13c477cfbdf27839ab98cc22e5fef5a05bf6c06d03",
      },
      {
        shape: "r with a leading 0x00, 31-byte s",
        message: "short s 101",
        lengths: [33, 31],
        der: "3044022100c4d7ae4f977390f6b89df3eadf2610cdd130def4169f829a01ce561db84e2165021f3e700f5aae548170ce4fd616c51df51604d3bef74e8c1f09f8ae8fc0671192",
      },
      {
        shape: "both with a leading 0x00",
        message: "both padded 0",
        lengths: [33, 33],
        der: "304602210093deb9ef115a1c7ad992134e060ab8d4aaca0c9116071ce05d925633655544e7022100fc2caf1fb7fe38c9257493a99fbd3270fa3f24d1e43eedd6ae03016954bdc97f",
      },
      {
        shape: "both 31 bytes (a 68-byte signature)",
        message: "short both 641400",
        lengths: [31, 31],
        der: "3042021f39b081f0bfe1aed16440e265514c6e37693c21a09a9364d28113e5840bcbbc021f5a218c082f69d2857fd676595e3fada9c47ae49c9d6fabb23cf49b8e6ba931",
      },
    ];

    for (const vector of VECTORS) {
      it(`converts a real signature with ${vector.shape} into one node verifies as JOSE`, () => {
        const der = Buffer.from(vector.der, "hex");
        const data = Buffer.from(vector.message);
        // The vector is what it claims: a valid DER signature of that shape.
        expect(verify("sha256", data, { key: FIXED_KEY, dsaEncoding: "der" }, der), "vector verifies as DER").to.equal(true);
        expect([der[3], der[5 + der[3]]], "DER integer lengths").to.deep.equal(vector.lengths);
        const jose = derToJose(der, 32);
        expect(jose).to.have.length(64);
        expect(verify("sha256", data, { key: FIXED_KEY, dsaEncoding: "ieee-p1363" }, jose), "JOSE signature verifies").to.equal(true);
      });
    }

    /** DER INTEGER of an unsigned big-endian value: minimal, with a 0x00 when the top bit is set. */
    const derInteger = (value: Buffer, longForm: boolean): Buffer => {
      let v = value;
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
      return Buffer.concat([Buffer.from(longForm ? [0x02, 0x81, v.length] : [0x02, v.length]), v]);
    };
    /** ECDSA-Sig-Value (RFC 3279 §2.2.3), optionally with 0x81 long-form lengths as BER allows. */
    const derSignature = (r: Buffer, s: Buffer, longForm = false): Buffer => {
      const body = Buffer.concat([derInteger(r, longForm), derInteger(s, longForm)]);
      return Buffer.concat([Buffer.from(longForm ? [0x30, 0x81, body.length] : [0x30, body.length]), body]);
    };
    const part = (hex: string) => Buffer.from(hex.padStart(64, "0"), "hex");

    it("round-trips hand-built DER of chosen r and s: leading 0x00, short integers, long-form lengths", () => {
      const cases: Array<[string, string]> = [
        ["80".padEnd(64, "0"), "1"],
        ["7f".padEnd(60, "f"), "ff".repeat(32)],
        ["1", "1"],
        ["80".padEnd(62, "1"), "ab".repeat(32)],
        ["ff".repeat(32), "00ff".padEnd(64, "e")],
        ["0102", "80".padEnd(64, "5")],
      ];
      for (const [rHex, sHex] of cases) {
        const r = part(rHex);
        const s = part(sHex);
        for (const longForm of [false, true]) {
          const der = derSignature(r, s, longForm);
          expect(derToJose(der, 32).toString("hex"), `${der.toString("hex")}`).to.equal(Buffer.concat([r, s]).toString("hex"));
        }
      }
    });

    it("agrees with node's own JOSE encoding on fresh signatures, re-encoded by hand", () => {
      for (let i = 0; i < 200; i++) {
        const data = Buffer.from(`message ${i}`);
        const der = sign("sha256", data, { key: key.privateKey, dsaEncoding: "der" });
        const jose = derToJose(der, 32);
        expect(verify("sha256", data, { key: key.publicKey, dsaEncoding: "ieee-p1363" }, jose), `signature ${i}`).to.equal(true);
        expect(derToJose(derSignature(jose.subarray(0, 32), jose.subarray(32), i % 2 === 1), 32).equals(jose), `re-encoded ${i}`).to.equal(true);
      }
    });

    it("refuses malformed DER", () => {
      const der = sign("sha256", Buffer.from("m"), { key: key.privateKey, dsaEncoding: "der" });
      const bad = [Buffer.alloc(0), Buffer.from([0x31, 0x00]), der.subarray(0, der.length - 1), Buffer.concat([der, Buffer.from([0])]), Buffer.from([0x30, 0x04, 0x02, 0x40, 0x00, 0x00])];
      for (const input of bad) expect(() => derToJose(input, 32), input.toString("hex")).to.throw(/malformed/);
    });
  });
});
