/**
 * A local SES v2 API on loopback (aws-ses-v2-local, in this process): the SES mailer talks
 * to it unchanged through `AWS_ENDPOINT_URL_SESV2`, and sent mail can be read in its web
 * view (`/`) or as JSON (`GET /store`).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
type SesServer = (config?: { host?: string; port?: number }) => Promise<Server>;
const sesServer = (require("aws-ses-v2-local") as { default: SesServer }).default;

export interface RunningSes {
  /** The SES v2 endpoint, also the web view of sent mail. */
  endpoint: string;
  /** Sent mail as JSON. */
  storeUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the local SES server on 127.0.0.1 (port 0 picks a free one). Its mailbox is held
 * by the package, once per process: readers filter by recipient or time.
 */
export async function startLocalSes(options: { port?: number } = {}): Promise<RunningSes> {
  // Its default host is `::` (every interface): always pass loopback.
  const server = await sesServer({ host: "127.0.0.1", port: options.port ?? 0 });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  // The package resolves even when listen failed (Express 5 hands the error to the callback it ignores).
  if (!server.listening) {
    await close();
    throw Object.assign(new Error(`the local SES server could not listen on 127.0.0.1:${options.port ?? 0}`), { code: "EADDRINUSE" });
  }
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, storeUrl: `${endpoint}/store`, close };
}
