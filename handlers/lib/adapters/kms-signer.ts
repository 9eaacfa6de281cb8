import { GetPublicKeyCommand, SignCommand } from "@aws-sdk/client-kms";
import { TemporarilyUnavailableError } from "../domain/errors.js";
import { keyFromSpki, verificationKey } from "../domain/keys.js";
import type { Signer } from "../domain/signer.js";
import { callKms, type KmsSend } from "./kms-call.js";
import { KMS_SIGNING } from "./kms-signing-keys.js";

export type { KmsSend };

/** KMS Sign accepts at most 4096 bytes of RAW message. */
const MAX_RAW_MESSAGE = 4096;
const ES256_PART = 32;

/**
 * Signer backed by a KMS key, the private key never leaving KMS: ES256 with an
 * `ECC_NIST_P256` key, RS256 with an `RSA_2048` one. The algorithm follows from the public
 * key. `publicKeySpki` (base64 DER, from Terraform's `aws_kms_public_key`) saves the
 * GetPublicKey call at cold start; without it the signer asks KMS once.
 */
export async function kmsSigner(kms: KmsSend, keyId: string, publicKeySpki?: string): Promise<Signer> {
  const spki = publicKeySpki ?? (await fetchPublicKey(kms, keyId));
  const { alg, kid } = verificationKey(keyFromSpki(spki));
  const { signingAlgorithm } = KMS_SIGNING[alg];
  return {
    alg,
    kid,
    async sign(input) {
      if (input.length > MAX_RAW_MESSAGE) throw new Error(`signing input exceeds ${MAX_RAW_MESSAGE} bytes`);
      const result = await callKms(() =>
        kms.send(new SignCommand({ KeyId: keyId, Message: input, MessageType: "RAW", SigningAlgorithm: signingAlgorithm })),
      );
      if (!result.Signature) throw new TemporarilyUnavailableError("signing failed", { cause: "KMS returned no signature" });
      // An RSASSA-PKCS1-v1_5 signature is already in its JOSE form (RFC 7518 §3.3); ECDSA's is DER.
      return alg === "RS256" ? Buffer.from(result.Signature) : derToJose(Buffer.from(result.Signature), ES256_PART);
    },
  };
}

async function fetchPublicKey(kms: KmsSend, keyId: string): Promise<string> {
  const result = await callKms(() => kms.send(new GetPublicKeyCommand({ KeyId: keyId })));
  if (!result.PublicKey) throw new Error(`KMS returned no public key for ${keyId}`);
  return Buffer.from(result.PublicKey).toString("base64");
}

/**
 * Converts an ASN.1 DER ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }), as KMS
 * returns it, to the fixed-width r || s form JOSE requires (RFC 7518 §3.4). DER integers
 * are minimal and signed, so each may carry a leading 0x00 or be shorter than `size`.
 */
export function derToJose(der: Buffer, size: number): Buffer {
  let offset = 0;
  const expect = (tag: number) => {
    if (der[offset++] !== tag) throw new Error("malformed DER signature");
  };
  const readLength = (): number => {
    const first = der[offset++];
    if (first < 0x80) return first;
    const bytes = first & 0x7f;
    if (bytes < 1 || bytes > 2) throw new Error("malformed DER signature");
    let value = 0;
    for (let i = 0; i < bytes; i++) value = (value << 8) | der[offset++];
    return value;
  };
  const readInteger = (): Buffer => {
    expect(0x02);
    const length = readLength();
    let value = der.subarray(offset, offset + length);
    offset += length;
    while (value.length > 0 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw new Error("malformed DER signature");
    return Buffer.concat([Buffer.alloc(size - value.length), value]);
  };
  expect(0x30);
  const total = readLength();
  if (offset + total !== der.length) throw new Error("malformed DER signature");
  const r = readInteger();
  const s = readInteger();
  if (offset !== der.length) throw new Error("malformed DER signature");
  return Buffer.concat([r, s]);
}
