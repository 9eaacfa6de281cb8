/** base64url without padding (RFC 4648 §5), as JOSE requires. */
export const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");
