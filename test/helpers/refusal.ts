import { expect } from "chai";
import { InvalidRequestError } from "../../handlers/lib/domain/errors.js";

/** Runs `fn`, expects it to refuse with `invalid_request`, and returns the description a client would read. */
export function invalidRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidRequestError);
    return (error as InvalidRequestError).description;
  }
  throw new Error("expected InvalidRequestError");
}
