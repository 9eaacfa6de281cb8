import { expect } from "chai";
import { verifiedTokenCache } from "../handlers/lib/domain/verified-token-cache.js";

describe("verified-token cache (the warm authorizer's)", () => {
  const T0 = 1_700_000_000_000;

  it("answers a token it holds until the token's exp, and never at or after it", () => {
    const cache = verifiedTokenCache<string>(10);
    cache.set(cache.keyOf("a.b.c"), "alice", T0 + 1000);
    expect(cache.get(cache.keyOf("a.b.c"), T0)).to.equal("alice");
    expect(cache.get(cache.keyOf("a.b.c"), T0 + 999)).to.equal("alice");
    expect(cache.get(cache.keyOf("a.b.c"), T0 + 1000)).to.equal(undefined);
    expect(cache.size, "an expired entry is dropped when read").to.equal(0);
  });

  it("keys by the whole token: a token differing in one byte is another entry", () => {
    const cache = verifiedTokenCache<string>(10);
    cache.set(cache.keyOf("header.payload.signature"), "alice", T0 + 1000);
    expect(cache.get(cache.keyOf("header.payload.signaturf"), T0)).to.equal(undefined);
    expect(cache.get(cache.keyOf("header.paylaod.signature"), T0)).to.equal(undefined);
    expect(cache.get(cache.keyOf("header.payload.signature "), T0)).to.equal(undefined);
  });

  it("stays within its bound, evicting the oldest entries first", () => {
    const cache = verifiedTokenCache<number>(3);
    for (let i = 0; i < 10; i++) cache.set(cache.keyOf(`token-${i}`), i, T0 + 1000);
    expect(cache.size).to.equal(3);
    expect([0, 6].map((i) => cache.get(cache.keyOf(`token-${i}`), T0))).to.deep.equal([undefined, undefined]);
    expect([7, 8, 9].map((i) => cache.get(cache.keyOf(`token-${i}`), T0))).to.deep.equal([7, 8, 9]);
  });

  it("holds nothing with a bound of 0 (the cache turned off)", () => {
    const cache = verifiedTokenCache<number>(0);
    cache.set(cache.keyOf("token"), 1, T0 + 1000);
    expect(cache.get(cache.keyOf("token"), T0)).to.equal(undefined);
    expect(cache.size).to.equal(0);
  });
});
