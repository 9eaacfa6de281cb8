import { expect } from "chai";
import { InvalidGrantError, InvalidRequestError, InvalidTokenError, TemporarilyUnavailableError, TooManyAttemptsError, UserExistsError } from "../handlers/lib/domain/errors.js";
import { cookie, type HttpEvent } from "../handlers/lib/http/event.js";
import { errorResponse, httpHandler } from "../handlers/lib/http/error-response.js";
import { jsonBody, MAX_BODY_BYTES } from "../handlers/lib/http/json-body.js";
import { recordingLogger } from "./helpers/config.js";

const event = (body?: string, extra: Partial<HttpEvent> = {}): HttpEvent => ({
  body,
  headers: { "content-type": "application/json" },
  requestContext: { requestId: "r1", http: { method: "POST", path: "/auth/login" } },
  ...extra,
});

describe("http", () => {
  describe("jsonBody", () => {
    const refusal = (e: HttpEvent) => {
      try {
        jsonBody(e);
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidRequestError);
        return (error as InvalidRequestError).description;
      }
      throw new Error("expected a refusal");
    };

    it("parses a JSON object, plain or base64-encoded", () => {
      expect(jsonBody(event('{"a":1}'))).to.deep.equal({ a: 1 });
      expect(jsonBody(event(Buffer.from('{"a":2}').toString("base64"), { isBase64Encoded: true }))).to.deep.equal({ a: 2 });
    });

    for (const bad of ["{", "nope", '{"a":1', "\u0000"]) {
      it(`refuses malformed JSON ${JSON.stringify(bad)}`, () => expect(refusal(event(bad))).to.equal("body is not valid JSON"));
    }
    for (const bad of [undefined, "", "[]", "null", "42", '"text"', "true"]) {
      it(`refuses non-object body ${JSON.stringify(bad)}`, () => expect(refusal(event(bad))).to.equal("body must be a JSON object"));
    }

    it("refuses bodies over 16 KiB before parsing, counting bytes", () => {
      const exact = JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES - 10) });
      expect(Buffer.byteLength(exact)).to.equal(MAX_BODY_BYTES);
      expect(jsonBody(event(exact))).to.have.property("pad");
      expect(refusal(event(JSON.stringify({ pad: "é".repeat(MAX_BODY_BYTES / 2) })))).to.match(/at most 16384 bytes/);
    });
  });

  describe("errorResponse", () => {
    const cases = [
      [new InvalidRequestError("email is required"), 400, "invalid_request"],
      [new InvalidGrantError("wrong"), 401, "invalid_grant"],
      [new InvalidTokenError("gone"), 401, "invalid_token"],
      [new UserExistsError("taken"), 409, "user_exists"],
      [new TooManyAttemptsError("slow down", 30), 429, "too_many_attempts"],
      [new TemporarilyUnavailableError("later", { cause: new Error("socket hang up") }), 503, "temporarily_unavailable"],
    ] as const;

    for (const [error, status, code] of cases) {
      it(`maps ${error.name} to ${status} ${code}`, () => {
        const response = errorResponse(error, recordingLogger());
        expect(response.statusCode).to.equal(status);
        expect(JSON.parse(response.body!)).to.deep.equal({ error: code, error_description: error.description });
        expect(response.headers["cache-control"]).to.equal("no-store");
      });
    }

    it("sends Retry-After on 429 and 503", () => {
      expect(errorResponse(new TooManyAttemptsError("slow down", 30), recordingLogger()).headers["retry-after"]).to.equal("30");
      expect(errorResponse(new TemporarilyUnavailableError("later"), recordingLogger()).headers["retry-after"]).to.equal("1");
    });

    it("turns anything unexpected into a bare 500 and keeps the detail in the log", () => {
      const logger = recordingLogger();
      const response = errorResponse(new TypeError("secret internal detail at db.ts:42"), logger);
      expect(response.statusCode).to.equal(500);
      expect(response.body).not.to.match(/secret|db\.ts|TypeError/);
      expect(JSON.parse(response.body!).error).to.equal("server_error");
      expect(logger.lines.join("\n")).to.include("secret internal detail");
    });
  });

  describe("httpHandler", () => {
    it("maps a throw to its response and logs the request id", async () => {
      const logger = recordingLogger();
      const handler = httpHandler(logger, async () => {
        throw new InvalidGrantError("the email or password is incorrect");
      });
      const response = await handler(event("{}"));
      expect(response.statusCode).to.equal(401);
      expect(JSON.parse(logger.lines[0])).to.include({ requestId: "r1", code: "invalid_grant", status: 401 });
    });
  });

  describe("cookie", () => {
    it("reads a named cookie from the v2 cookies array", () => {
      const e = event(undefined, { cookies: ["theme=dark", "refresh_token=abc.def", "x=1=2"] });
      expect(cookie(e, "refresh_token")).to.equal("abc.def");
      expect(cookie(e, "x")).to.equal("1=2");
      expect(cookie(e, "missing")).to.equal(undefined);
    });
  });
});
