/**
 * Password checks that leave no trace in the answer: the dummy argon2id verify for unknown
 * emails (counted on the real hasher, and timed loosely against a real verify), a stored
 * account without a usable hash, and the maximum length counted in code points.
 */
import { expect } from "chai";
import { invalidRequest } from "./helpers/refusal.js";
import { readFor } from "./helpers/credentials.js";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { argon2idHasher } from "../handlers/lib/adapters/argon2-hasher.js";
import { keys } from "../handlers/lib/adapters/table-definition.js";
import { authenticate, register } from "../handlers/lib/domain/accounts.js";
import { MAX_PASSWORD_LENGTH } from "../handlers/lib/domain/credentials.js";
import { InvalidGrantError } from "../handlers/lib/domain/errors.js";
import type { PasswordHasher } from "../handlers/lib/domain/passwords.js";
import { manualClock, testConfig } from "./helpers/config.js";
import { localTable } from "./helpers/dynalite.js";

/** The real argon2id hasher, counting each call (a seam the domain already has, not a mock). */
function countingHasher(inner: PasswordHasher = argon2idHasher()) {
  const calls = { hash: 0, verify: 0, verifyDummy: 0 };
  const hasher: PasswordHasher = {
    hash: (password) => (calls.hash++, inner.hash(password)),
    verify: (hash, password) => (calls.verify++, inner.verify(hash, password)),
    verifyDummy: (password) => (calls.verifyDummy++, inner.verifyDummy(password)),
  };
  return { hasher, calls };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("password checks", function () {
  this.timeout(60_000);
  let table: Awaited<ReturnType<typeof localTable>>;
  const password = "correct horse battery";
  const refusedGrant = async (promise: Promise<unknown>, label: string) => {
    const error = await promise.then(() => undefined, (e) => e);
    expect(error, `${label}: expected invalid_grant`).to.be.instanceOf(InvalidGrantError);
  };

  before(async () => {
    table = await localTable();
  });
  after(() => table?.close());

  describe("unknown emails cost the same argon2id work (OWASP Authentication Cheat Sheet: same answer, same time)", () => {
    it("runs one dummy verify for an unknown email, and one real verify for a known one", async () => {
      const { hasher, calls } = countingHasher();
      await register({ tenant: "default", email: "known@example.com", password }, { store: table.store, hasher, clock: manualClock() });
      calls.hash = 0;

      await refusedGrant(authenticate({ tenant: "default", email: "nobody@example.com", password }, { store: table.store, hasher }), "unknown email");
      expect(calls, "unknown email").to.deep.equal({ hash: 0, verify: 0, verifyDummy: 1 });

      await refusedGrant(authenticate({ tenant: "default", email: "known@example.com", password: "wrong password!!" }, { store: table.store, hasher }), "wrong password");
      expect(calls, "after a wrong password").to.deep.equal({ hash: 0, verify: 1, verifyDummy: 1 });
    });

    it("the dummy verify is a real argon2id computation: it takes about as long as a real verify", async () => {
      const hasher = argon2idHasher();
      const hash = await hasher.hash(password);
      const real: number[] = [];
      const dummy: number[] = [];
      // Interleaved, so a busy machine slows both alike; a skipped dummy costs ~0 ms against ~20 ms.
      for (let i = 0; i < 5; i++) {
        let start = performance.now();
        expect(await hasher.verify(hash, "wrong password!!")).to.equal(false);
        real.push(performance.now() - start);
        start = performance.now();
        await hasher.verifyDummy("wrong password!!");
        dummy.push(performance.now() - start);
      }
      expect(median(dummy), `dummy ${median(dummy).toFixed(1)} ms vs real ${median(real).toFixed(1)} ms`).to.be.above(median(real) * 0.25);
    });
  });

  describe("an account without a usable hash never signs in", () => {
    const candidates = ["", " ", "\u0000", "undefined", "null", "false", password];
    const hasher = argon2idHasher();

    it("the hasher answers false for an empty or malformed hash, whatever the password", async () => {
      for (const hash of ["", "$argon2id$", "$argon2id$v=19$m=19456,t=2,p=1$$", "not a hash"]) {
        for (const candidate of candidates) expect(await hasher.verify(hash, candidate), `${JSON.stringify(hash)} / ${JSON.stringify(candidate)}`).to.equal(false);
      }
    });

    it("a stored user whose hash is empty or missing is refused for every password", async () => {
      await table.store.createUser({
        userId: "u-empty",
        tenant: "default",
        email: "empty-hash@example.com",
        passwordHash: "",
        createdAt: new Date(0).toISOString(),
        sessionVersion: 0,
        emailVerified: false,
      });
      // An item written by something else, with no password_hash at all: the store reads it as "".
      const { pk, sk } = keys.user("default", "no-hash@example.com");
      await table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: { pk: { S: pk }, sk: { S: sk }, user_id: { S: "u-none" }, tenant: { S: "default" }, email: { S: "no-hash@example.com" } },
        }),
      );
      expect((await table.store.getUser("default", "no-hash@example.com"))!.passwordHash).to.equal("");

      for (const email of ["empty-hash@example.com", "no-hash@example.com"]) {
        for (const candidate of candidates) {
          await refusedGrant(authenticate({ tenant: "default", email, password: candidate }, { store: table.store, hasher }), `${email} with ${JSON.stringify(candidate)}`);
        }
      }
    });
  });

  describe("the maximum length counts code points (NIST SP 800-63B §5.1.1.2: each Unicode code point is one character)", () => {
    const config = testConfig();
    const body = (pw: string) => ({ email: "a@example.com", password: pw });
    const refusal = invalidRequest;

    for (const purpose of ["register", "login"] as const) {
      it(`${purpose}: 256 emoji (512 UTF-16 units) pass, 257 are refused`, () => {
        const at256 = "🔑".repeat(MAX_PASSWORD_LENGTH);
        expect(at256).to.have.length(512);
        expect(readFor(purpose)(body(at256), config).password).to.equal(at256);
        expect(refusal(() => readFor(purpose)(body(`${at256}🔑`), config))).to.equal("password must be at most 256 characters");
        // Mixed: 255 ASCII + 1 emoji is 256 characters in 257 units.
        expect(readFor(purpose)(body(`${"p".repeat(255)}🔑`), config).password).to.have.length(257);
        expect(refusal(() => readFor(purpose)(body(`${"p".repeat(256)}🔑`), config))).to.equal("password must be at most 256 characters");
      });
    }
  });
});
