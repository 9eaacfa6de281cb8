/** The `Authorization` header that carries an access token (RFC 6750 §2.1). */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An access token's claims, read without verifying it (the tests that need verification do it themselves). */
export const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
