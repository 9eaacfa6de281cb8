/**
 * The breached-password blocklist (NIST SP 800-63B §5.1.1.2): generated from the source
 * package, applied to every new password, never at login.
 */
import { expect } from "chai";
import { invalidRequest } from "./helpers/refusal.js";
import { readNewCredentials } from "../handlers/lib/domain/new-password.js";
import { readFileSync } from "node:fs";
import { readCredentials } from "../handlers/lib/domain/credentials.js";
import { decodeBlocklist, encodeBlocklist, isCommonPassword } from "../handlers/lib/domain/password-blocklist.js";
import { BLOCKLIST, BLOCKLIST_ENTRIES } from "../handlers/lib/domain/password-blocklist-data.js";
import { DATA_MODULE, renderDataModule, sourceList } from "../scripts/update-password-blocklist.js";
import { bundles, removeBundles } from "./helpers/bundles.js";
import { testConfig } from "./helpers/config.js";

const COMMON = "password is one of the most common breached passwords; choose one that is harder to guess";
const source = sourceList();

const refusal = invalidRequest;

describe("password blocklist", () => {
  it("is the committed output of scripts/update-password-blocklist.ts for the installed source", () => {
    expect(readFileSync(DATA_MODULE, "utf8")).to.equal(renderDataModule(source.passwords, source.version));
  });

  it("holds exactly the source entries a user could set: at least 8 characters, lower-cased, once each", () => {
    const expected = new Set(source.passwords.filter((p) => p.length >= 8).map((p) => p.toLowerCase()));
    const decoded = decodeBlocklist(BLOCKLIST);
    expect(decoded).to.have.length(BLOCKLIST_ENTRIES);
    expect(new Set(decoded).size).to.equal(decoded.length);
    expect(decoded.filter((p) => !expected.has(p))).to.deep.equal([]);
    expect([...expected].filter((p) => !decoded.includes(p))).to.deep.equal([]);
    // Short ones are dropped: PASSWORD_MIN_LENGTH refuses them first.
    expect(source.passwords).to.include("123456");
    expect(decoded).not.to.include("123456");
  });

  it("front-codes losslessly, prefixes longer than 9 included", () => {
    const sorted = ["aaaaaaaaaaaa", "aaaaaaaaaaab", "aaaaaaaaaaabc", "ab", "b"];
    expect(encodeBlocklist(sorted)).to.equal("0aaaaaaaaaaaa 9aab 9aabc 1b 0b");
    expect(decodeBlocklist(encodeBlocklist(sorted))).to.deep.equal(sorted);
    expect(() => encodeBlocklist(["has space"])).to.throw(/whitespace/);
  });

  it("matches case-insensitively and only whole passwords", () => {
    for (const common of ["password", "PASSWORD", "PassWord", "iloveyou", "qwertyuiop", "1qaz2wsx3edc", "QAZWSXEDC123"]) {
      expect(isCommonPassword(common), common).to.equal(true);
    }
    for (const other of ["password!x", "xpassword", "correct horse battery", "a long unremarkable passphrase", "1234567"]) {
      expect(isCommonPassword(other), other).to.equal(false);
    }
  });

  describe("in the register policy", () => {
    const body = (password: string) => ({ email: "a@example.com", password });

    it("refuses a common password on register, with a clear message, whatever its case", () => {
      expect(refusal(() => readNewCredentials(body("1qaz2wsx3edc"), testConfig()))).to.equal(COMMON);
      expect(refusal(() => readNewCredentials(body("1QAZ2wsx3EDC"), testConfig()))).to.equal(COMMON);
      expect(refusal(() => readNewCredentials(body("sunshine"), testConfig({ passwordMinLength: 8 })))).to.equal(COMMON);
      // After NFKC: fullwidth letters fold to the listed ASCII.
      expect(refusal(() => readNewCredentials(body("ｓｕｎｓｈｉｎｅ"), testConfig({ passwordMinLength: 8 })))).to.equal(COMMON);
    });

    it("checks length first: a short common password hears about the length", () => {
      expect(refusal(() => readNewCredentials(body("sunshine"), testConfig()))).to.equal("password must be at least 12 characters");
    });

    it("never applies at login: an existing common password still signs in", () => {
      expect(readCredentials(body("1qaz2wsx3edc"), testConfig()).password).to.equal("1qaz2wsx3edc");
      expect(readCredentials(body("sunshine"), testConfig()).password).to.equal("sunshine");
    });
  });

  describe("bundles", function () {
    this.timeout(120_000);
    after(removeBundles);

    it("ship the list with register, whose bundle stays under 700 KB", async () => {
      const register = (await bundles("lambda")).find((b) => b.name === "register")!;
      expect(register.inputs).to.include("handlers/lib/domain/password-blocklist-data.ts");
      expect(register.bundleBytes).to.be.below(700 * 1024);
      expect(readFileSync(`${register.dir}/index.js`, "utf8")).to.include(BLOCKLIST.slice(0, 200));
    });
  });
});
