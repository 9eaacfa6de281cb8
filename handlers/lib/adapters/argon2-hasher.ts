import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import type { PasswordHasher } from "../domain/passwords.js";

/** OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1. */
export const ARGON2ID_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function argon2idHasher(params: { memoryCost: number; timeCost: number; parallelism: number } = ARGON2ID_PARAMS): PasswordHasher {
  const options = { type: argon2.argon2id as 2, ...params };
  // A well-formed hash with the same parameters but random salt and digest: verifying
  // against it costs exactly one argon2id computation and always fails.
  const dummyHash =
    `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}` +
    `$${randomBytes(16).toString("base64").replace(/=+$/, "")}$${randomBytes(32).toString("base64").replace(/=+$/, "")}`;

  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      await argon2.verify(dummyHash, password).catch(() => false);
    },
  };
}
