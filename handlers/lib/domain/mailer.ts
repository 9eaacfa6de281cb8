/**
 * The mailer port: the domain hands over a finished message; an adapter delivers it (SES in
 * AWS and locally, against a local SES v2 API). No AWS types here.
 */
export interface EmailMessage {
  /** One recipient address. */
  to: string;
  subject: string;
  /** The plain-text body, for clients that show no HTML (and spam filters that prefer both). */
  text: string;
  /** A simple HTML body; every interpolated value is escaped. */
  html: string;
}

export interface Mailer {
  /** Delivers one message; a delivery failure is TemporarilyUnavailableError (503). */
  send(message: EmailMessage): Promise<void>;
}

/** Where mail comes from and where its links point, read once at cold start. */
export interface MailSettings {
  /** The sender address: the SES identity or an address under it. */
  from: string;
  /** SES configuration set sends are tracked under; none locally. */
  configurationSet?: string;
  /** The app's base URL (no trailing slash): links are `${appUrl}/verify-email?token=...`. */
  appUrl: string;
}
