/**
 * THE function manifest: every Lambda, its entry file, the native module it ships and
 * the AWS actions it performs. The bundler reads it to build zips; the stack reads it to
 * grant each function exactly these actions (least privilege lives next to the code that
 * makes the calls).
 */
import { KEY_PREFIX } from "./lib/adapters/table-definition.js";
import { AUTHORIZER, type HandlerName } from "./routes.js";

export type FunctionName = HandlerName | typeof AUTHORIZER;

export interface FunctionSpec {
  name: FunctionName;
  /** Path of the entry file, relative to the project root. */
  entry: string;
  /** Ships argon2's native binary beside the bundle. */
  argon2: boolean;
  /** DynamoDB actions on the user table. */
  tableActions: readonly string[];
  /**
   * Partition key prefixes (adapters/table-definition.ts) those actions may touch: IAM
   * allows them on these items only (`dynamodb:LeadingKeys`), so e.g. refresh cannot touch a user.
   */
  tableKeys: readonly string[];
  /** Reads the brute-force and abuse limits (LOCKOUT_*, SOURCE_*). */
  abuseLimits: boolean;
  /** KMS actions on the signing key. */
  keyActions: readonly string[];
  /** KMS actions on the refresh-token (HMAC) key. */
  refreshKeyActions: readonly string[];
  /**
   * KMS actions on the secrets key (the sealed TOTP secrets): Encrypt only where a secret is
   * made (enrolment, which also gets MFA_ISSUER for its URI), Decrypt only where codes are checked.
   */
  secretKeyActions: readonly string[];
  /** Needs the public keys (verification or publishing). */
  publicKeys: boolean;
  /** Sets or clears the refresh cookie, so reads its attributes (REFRESH_COOKIE_*). */
  refreshCookie: boolean;
  /**
   * SES actions (`ses:SendEmail`) on the environment's identity and configuration set only;
   * a function with any also gets EMAIL_FROM, SES_CONFIGURATION_SET and APP_URL.
   */
  mailActions: readonly string[];
}

const spec = (name: FunctionName, rest: Omit<Partial<FunctionSpec>, "name" | "entry">): FunctionSpec => ({
  name,
  entry: `handlers/${name}.ts`,
  argon2: false,
  tableActions: [],
  tableKeys: [],
  abuseLimits: false,
  keyActions: [],
  refreshKeyActions: [],
  secretKeyActions: [],
  publicKeys: false,
  refreshCookie: false,
  mailActions: [],
  ...rest,
});

const { user, session, login, source, sessionOwner, emailToken, mfaToken } = KEY_PREFIX;

/** A request for a link by mail: counts it (address and recipient), reads the user, replaces its pending token, mails the link. */
const MAIL_REQUEST = {
  tableActions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  tableKeys: [user, source, emailToken],
  abuseLimits: true,
  mailActions: ["ses:SendEmail"],
};

/** MFA management: a current code or the password, counted toward the lockout as change-password counts passwords. */
const MFA_PROOF = {
  argon2: true,
  tableActions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
  tableKeys: [session, user, login, source],
  abuseLimits: true,
  refreshKeyActions: ["kms:GenerateMac"],
  secretKeyActions: ["kms:Decrypt"],
};

export const functions: readonly FunctionSpec[] = [
  // Register writes the user and its verification token; deletes both again if that mail fails.
  spec("register", {
    argon2: true,
    tableActions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    tableKeys: [user, source, emailToken],
    abuseLimits: true,
    mailActions: ["ses:SendEmail"],
  }),
  // For an account with MFA it writes the sign-in challenge instead of a session.
  spec("login", {
    argon2: true,
    tableActions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    tableKeys: [user, session, login, source, mfaToken],
    abuseLimits: true,
    keyActions: ["kms:Sign"],
    refreshKeyActions: ["kms:GenerateMac"],
    refreshCookie: true,
  }),
  spec("refresh", {
    tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    tableKeys: [session, user, source],
    abuseLimits: true,
    keyActions: ["kms:Sign"],
    refreshKeyActions: ["kms:GenerateMac"],
    refreshCookie: true,
  }),
  spec("logout", { tableActions: ["dynamodb:UpdateItem"], tableKeys: [session, user], refreshCookie: true }),
  spec("me", { tableActions: ["dynamodb:GetItem"], tableKeys: [user] }),
  spec("jwks", { publicKeys: true }),
  // Strict routes read the session and its user in one BatchGetItem.
  spec("sessions", { tableActions: ["dynamodb:BatchGetItem", "dynamodb:Query"], tableKeys: [session, user, sessionOwner] }),
  // Password checks count toward the lockout, as logins do; the refresh-token key derives
  // the log pseudonym for failed ones (one MAC per cold start).
  spec("change-password", {
    argon2: true,
    tableActions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    tableKeys: [session, user, login, source],
    abuseLimits: true,
    refreshKeyActions: ["kms:GenerateMac"],
    mailActions: ["ses:SendEmail"],
  }),
  spec("delete-account", {
    argon2: true,
    tableActions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
    tableKeys: [session, user, login, source, sessionOwner, emailToken],
    abuseLimits: true,
    refreshKeyActions: ["kms:GenerateMac"],
    refreshCookie: true,
  }),
  // Consumes the token (conditional delete), then marks the user verified.
  spec("verify-email", { tableActions: ["dynamodb:DeleteItem", "dynamodb:UpdateItem"], tableKeys: [emailToken, user] }),
  spec("resend-verification", MAIL_REQUEST),
  spec("forgot-password", MAIL_REQUEST),
  // Consumes the token (or puts it back), replaces the hash, clears the lock and the pending verification link.
  spec("reset-password", {
    argon2: true,
    tableActions: ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    tableKeys: [emailToken, user, login],
    mailActions: ["ses:SendEmail"],
  }),
  spec("end-session", { tableActions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"], tableKeys: [session, user] }),
  // MFA: enrolment seals a new secret (Encrypt); the others open it to check a code (Decrypt).
  // Strict routes read the session and its user in one BatchGetItem; state changes are UpdateItems of the user.
  spec("mfa-enrol", { tableActions: ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"], tableKeys: [session, user], secretKeyActions: ["kms:Encrypt"] }),
  spec("mfa-confirm", {
    tableActions: ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"],
    tableKeys: [session, user],
    secretKeyActions: ["kms:Decrypt"],
    mailActions: ["ses:SendEmail"],
  }),
  spec("mfa-disable", { ...MFA_PROOF, mailActions: ["ses:SendEmail"] }),
  spec("mfa-recovery-codes", MFA_PROOF),
  // Reads the challenge and the user, counts the attempt, uses the code, consumes the challenge, opens the session.
  spec("mfa-verify", {
    tableActions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    tableKeys: [mfaToken, user, session, login, source],
    abuseLimits: true,
    keyActions: ["kms:Sign"],
    refreshKeyActions: ["kms:GenerateMac"],
    secretKeyActions: ["kms:Decrypt"],
    refreshCookie: true,
  }),
  spec(AUTHORIZER, { publicKeys: true }),
  // The issuer and the keys' algorithms, read once per cold start.
  spec("discovery", { publicKeys: true }),
  // /auth/refresh's grant behind the OAuth door: the same table items, keys and limits; no cookie.
  spec("oauth-token", {
    tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    tableKeys: [session, user, source],
    abuseLimits: true,
    keyActions: ["kms:Sign"],
    refreshKeyActions: ["kms:GenerateMac"],
  }),
  // Checks a refresh token's MAC (or an access token's signature) and revokes its session in one
  // UpdateItem; counts tokens it never issued per source; clears the refresh cookie.
  spec("oauth-revoke", {
    tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    tableKeys: [session, source],
    abuseLimits: true,
    refreshKeyActions: ["kms:GenerateMac"],
    publicKeys: true,
    refreshCookie: true,
  }),
];
