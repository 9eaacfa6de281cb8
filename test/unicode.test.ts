/**
 * Unicode rules for emails and passwords, through the path a request takes: a JSON body
 * (where `\ud800` escapes produce lone surrogates) read by `readCredentials`.
 */
import { expect } from "chai";
import { invalidRequest } from "./helpers/refusal.js";
import { readFor } from "./helpers/credentials.js";
import { jsonBody } from "../handlers/lib/http/json-body.js";
import { testConfig } from "./helpers/config.js";

const config = testConfig();
const PASSWORD = "a long unremarkable passphrase";

/** The credentials a request with this JSON text would yield. */
const read = (json: string, purpose: "register" | "login") =>
  readFor(purpose)(
    jsonBody({ body: json, headers: { "content-type": "application/json" }, requestContext: { requestId: "r", http: { method: "POST", path: "/auth/register" } } }),
    config,
  );
const body = (email: string, password = PASSWORD) => JSON.stringify({ email, password });

const refusal = invalidRequest;

describe("Unicode in credentials", () => {
  describe("lone surrogates", () => {
    it("would collapse: UTF-8 encoding turns each into U+FFFD (why they are refused)", () => {
      expect(Buffer.from("x\ud800@example.com").equals(Buffer.from("x\udfff@example.com"))).to.equal(true);
      expect(Buffer.from("pw\ud800").equals(Buffer.from("pw\udc00"))).to.equal(true);
    });

    for (const escape of ["\\ud800", "\\udfff", "\\udc00", "\\ud83d"]) {
      it(`refuses an email with ${escape} on register and login alike`, () => {
        // Raw JSON text: the escape reaches JSON.parse, which yields the lone surrogate.
        const json = `{"email":"x${escape}@example.com","password":"${PASSWORD}"}`;
        for (const purpose of ["register", "login"] as const) {
          expect(refusal(() => read(json, purpose))).to.equal("email must be well-formed Unicode (it contains a lone surrogate)");
        }
      });
    }

    it("refuses a password with \\ud800 or \\udc00 on register and login alike", () => {
      for (const escape of ["\\ud800", "\\udc00"]) {
        const json = `{"email":"a@example.com","password":"${PASSWORD}${escape}"}`;
        for (const purpose of ["register", "login"] as const) {
          expect(refusal(() => read(json, purpose))).to.equal("password must be well-formed Unicode (it contains a lone surrogate)");
        }
      }
    });

    it("accepts surrogate pairs: astral characters are fine", () => {
      expect(read(body("\ud83d\udd11@example.com", `${PASSWORD} \ud83d\udd11`), "register")).to.include({ email: "🔑@example.com", password: `${PASSWORD} 🔑` });
      // An emoji family is three emoji joined by ZWJ (a format character): allowed in passwords.
      expect(read(body("a@example.com", `${PASSWORD} 👨‍👩‍👧`), "register").password).to.equal(`${PASSWORD} 👨‍👩‍👧`);
    });
  });

  describe("invisible characters in emails (lookalike accounts)", () => {
    const invisible: Array<[string, string]> = [
      ["\u200b", "zero width space (Cf)"],
      ["\u200c", "zero width non-joiner (Cf)"],
      ["\u200d", "zero width joiner (Cf)"],
      ["\u2060", "word joiner (Cf)"],
      ["\ufeff", "byte order mark inside (Cf)"],
      ["\u00ad", "soft hyphen (Cf)"],
      ["\u202e", "right-to-left override (Cf)"],
      ["\u2066", "left-to-right isolate (Cf)"],
      ["\u061c", "Arabic letter mark (Cf)"],
      ["\u{e0041}", "tag latin capital A (Cf, astral)"],
      ["\u034f", "combining grapheme joiner (default ignorable)"],
      ["\ufe0f", "variation selector 16 (default ignorable)"],
      ["\u3164", "Hangul filler (default ignorable, NFKC maps it to another)"],
      ["\ufdd0", "noncharacter"],
    ];
    for (const [character, name] of invisible) {
      it(`refuses ${name} as a distinct lookalike of admin@example.com`, () => {
        const lookalike = `adm${character}in@example.com`;
        for (const purpose of ["register", "login"] as const) {
          expect(refusal(() => read(body(lookalike), purpose))).to.equal("email must not contain invisible or format characters");
        }
      });
    }

    it("still accepts the plain address and non-ASCII letters", () => {
      expect(read(body("admin@example.com"), "register").email).to.equal("admin@example.com");
      expect(read(body("Jürgen@Bücher.example"), "register").email).to.equal("jürgen@bücher.example");
      // NFKC width mapping (RFC 8265 UsernameCaseMapped does the same): fullwidth folds to ASCII.
      expect(read(body("ａｄｍｉｎ@example.com"), "register").email).to.equal("admin@example.com");
    });
  });

  describe("control characters in new passwords (RFC 8265 OpaqueString)", () => {
    for (const control of ["\t", "\n", "\u0000", "\u007f", "\u0085"]) {
      it(`refuses ${JSON.stringify(control)} on register, accepts it on login (existing passwords)`, () => {
        const json = body("a@example.com", `${PASSWORD}${control}x`);
        expect(refusal(() => read(json, "register"))).to.equal("password must not contain control characters");
        expect(read(json, "login").password).to.equal(`${PASSWORD}${control}x`);
      });
    }
  });
});
