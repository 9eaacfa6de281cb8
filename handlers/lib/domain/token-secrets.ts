import { createHash, randomBytes } from "node:crypto";

/**
 * The random part of every single-use token this service mails or hands out (email links,
 * MFA challenges): 256 bits (RFC 6749 §10.10 asks for at least 128), base64url.
 */
export const newTokenSecret = (): string => randomBytes(32).toString("base64url");

/** Whether `text` is spelled as `newTokenSecret` spells one: 43 base64url characters. */
export const isTokenSecret = (text: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(text);

/**
 * SHA-256, base64url, of `parts` joined by NUL: what the table stores instead of a secret or
 * code, and the fixed-length key for a value. High-entropy inputs need no slow hash. A label
 * as the first part keeps digests of different kinds apart.
 */
export const digestOf = (...parts: string[]): string => createHash("sha256").update(parts.join("\u0000")).digest("base64url");
