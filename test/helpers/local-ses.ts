/**
 * The local SES v2 server for tests: start it, point a client or the bundles at it, and
 * read what was sent through its HTTP API (`GET /store`), as a person reads the web view.
 */
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { startLocalSes, type RunningSes } from "../../local/ses.js";

/** One sent message as the local server stored it. */
export interface SentMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Seconds since the epoch. */
  at: number;
}

const READ_TIMEOUT_MS = 5_000;

/** Reads the mailbox of a local SES server (this one, or the one a local runtime started). */
export async function readMailbox(storeUrl: string): Promise<SentMail[]> {
  const response = await fetch(storeUrl, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${storeUrl}: ${response.status}`);
  const { emails } = (await response.json()) as {
    emails: { messageId: string; from: string; destination: { to: string[] }; subject: string; body: { text?: string; html?: string }; at: number }[];
  };
  return emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to,
    subject: e.subject,
    text: e.body.text ?? "",
    html: e.body.html ?? "",
    at: e.at,
  }));
}

/** The messages sent to `address`, oldest first (the server's mailbox is shared by the process). */
export async function mailTo(storeUrl: string, address: string): Promise<SentMail[]> {
  return (await readMailbox(storeUrl)).filter((mail) => mail.to.includes(address));
}

/** The token of the first `${appUrl}/<page>?token=...` link in a message's text. */
export function tokenFromLink(mail: SentMail, page: "verify-email" | "reset-password"): string {
  const match = new RegExp(`/${page}\\?token=([^\\s"<&]+)`).exec(mail.text);
  if (!match) throw new Error(`no /${page} link in "${mail.subject}"`);
  return decodeURIComponent(match[1]);
}

export interface LocalSes extends RunningSes {
  /** An SES v2 client for this server (local credentials, any region). */
  client: SESv2Client;
  mailTo(address: string): Promise<SentMail[]>;
}

/** Starts a local SES server on 127.0.0.1; `close` in `after`. */
export async function localSes(): Promise<LocalSes> {
  const server = await startLocalSes();
  const client = new SESv2Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  return {
    ...server,
    client,
    mailTo: (address) => mailTo(server.storeUrl, address),
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
