import { expect } from "chai";
import { invalidRequest } from "./helpers/refusal.js";
import { readFor } from "./helpers/credentials.js";
import { readNewCredentials } from "../handlers/lib/domain/new-password.js";
import { normalizeEmail, readCredentials } from "../handlers/lib/domain/credentials.js";
import { testConfig } from "./helpers/config.js";

const config = testConfig();
const refused = invalidRequest;

describe("credentials", () => {
  describe("normalizeEmail", () => {
    it("trims, lower-cases and applies NFKC", () => {
      expect(normalizeEmail("  Alice@Example.COM ")).to.equal("alice@example.com");
      // Fullwidth letters and the fullwidth @ fold to ASCII under NFKC.
      expect(normalizeEmail("ａｌｉｃｅ＠example.com")).to.equal("alice@example.com");
    });

    for (const bad of ["", "   ", "alice", "a@b@c", "@example.com", "alice@", "al ice@example.com", "a\u0000@x.io"]) {
      it(`refuses ${JSON.stringify(bad)}`, () => {
        expect(refused(() => normalizeEmail(bad))).to.match(/email/);
      });
    }

    it("accepts 254 characters and refuses 255", () => {
      const at254 = `${"a".repeat(64)}@${"b".repeat(185)}.com`;
      expect(at254).to.have.length(254);
      expect(normalizeEmail(at254)).to.equal(at254);
      expect(refused(() => normalizeEmail(`a${at254}`))).to.match(/at most 254/);
    });
  });

  describe("readCredentials", () => {
    const body = (fields: Record<string, unknown>) => ({ email: "a@example.com", password: "correct horse battery", ...fields });

    it("defaults the tenant and accepts a configured one", () => {
      expect(readNewCredentials(body({}), config).tenant).to.equal("default");
      expect(readNewCredentials(body({ tenant: "acme" }), config).tenant).to.equal("acme");
    });

    it("refuses an unknown tenant by name", () => {
      expect(refused(() => readCredentials(body({ tenant: "evil" }), config))).to.match(/tenant "evil"/);
    });

    it("names the missing or mistyped field", () => {
      expect(refused(() => readCredentials({ password: "x".repeat(20) }, config))).to.equal("email is required");
      expect(refused(() => readCredentials(body({ password: 123 }), config))).to.equal("password must be a string");
      expect(refused(() => readCredentials(body({ email: ["a@b.c"] }), config))).to.equal("email must be a string");
      expect(refused(() => readCredentials(body({ tenant: 7 }), config))).to.equal("tenant must be a string");
    });

    it("enforces the minimum length on register only, counting code points", () => {
      expect(refused(() => readNewCredentials(body({ password: "short" }), config))).to.match(/at least 12/);
      expect(readCredentials(body({ password: "short" }), config).password).to.equal("short");
      // 12 emoji are 24 UTF-16 units but 12 characters.
      expect(readNewCredentials(body({ password: "🔑".repeat(12) }), config).password).to.equal("🔑".repeat(12));
      expect(refused(() => readNewCredentials(body({ password: "🔑".repeat(11) }), config))).to.match(/at least 12/);
    });

    it("refuses passwords over 256 characters, on login too", () => {
      for (const purpose of ["register", "login"] as const) {
        expect(refused(() => readFor(purpose)(body({ password: "p".repeat(257) }), config))).to.match(/at most 256/);
      }
      expect(readNewCredentials(body({ password: "p".repeat(256) }), config).password).to.have.length(256);
    });

    it("refuses a password equal to the email, whatever its case", () => {
      const email = "long.address@example.com";
      expect(refused(() => readNewCredentials({ email, password: email.toUpperCase() }, config))).to.match(/not be the email/);
    });

    it("normalises the password with NFKC", () => {
      // U+FB01 (the "fi" ligature) becomes "fi".
      expect(readNewCredentials(body({ password: "\uFB01ne-password-123" }), config).password).to.equal("fine-password-123");
    });
  });
});
