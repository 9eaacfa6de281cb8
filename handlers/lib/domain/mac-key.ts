/**
 * Port: a keyed MAC (HMAC-SHA-256) whose key lives in neither the table nor the logs:
 * a KMS HMAC key in AWS (the key never leaves KMS), a key file beside the local data.
 * Refresh tokens are MACs under it, so a dump of the table cannot mint or replay one.
 */
export interface MacKey {
  /** HMAC-SHA-256 of `message`: 32 bytes. */
  mac(message: string): Promise<Buffer>;
}
