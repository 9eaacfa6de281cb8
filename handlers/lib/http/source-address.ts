import type { ClientInfo } from "../domain/store.js";
import { header, type HttpEvent } from "./event.js";

/**
 * The client's address as API Gateway saw the connection (`requestContext.http.sourceIp`).
 * Never `X-Forwarded-For` or any other header: the client writes those, so an attacker
 * could pick a fresh address per request and slip every per-address limit (OWASP ASVS 2.2.1).
 */
export const sourceAddress = (event: HttpEvent): string => event.requestContext.http.sourceIp || "unknown";

/** The client as the session list shows it: its address and user agent (bounded). */
export const clientOf = (event: HttpEvent): ClientInfo => ({
  userAgent: (header(event, "user-agent") ?? "").slice(0, 256),
  sourceIp: sourceAddress(event),
});
