/** Port: how the domain hashes and checks passwords. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Never throws for a wrong password or a malformed hash: it answers false. */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * Spends the same time as a real verify, for unknown accounts, so a response's
   * timing does not reveal whether an email is registered.
   */
  verifyDummy(password: string): Promise<void>;
}
