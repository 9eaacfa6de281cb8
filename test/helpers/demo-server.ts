/**
 * The demo's files served from another origin and pointed at an API elsewhere, as a team
 * hosts them for a deployed stage (README, Demo): the `auth-api` meta names the API and the
 * page's CSP lets it connect there.
 */
import { createServer, type Server } from "node:http";
import { listenOnLoopback } from "../../local/listen.js";
import { staticFiles } from "../../local/static-files.js";

export interface DemoServer {
  /** The port on 127.0.0.1: the page opens as http://127.0.0.1:<port> or http://localhost:<port>. */
  port: number;
  /** The API the page calls; set before a page opens. */
  api: string;
  close(): Promise<void>;
}

const API_META = '<meta name="auth-api" content="">';

export async function serveDemoElsewhere(): Promise<DemoServer> {
  const files = staticFiles();
  const demo: DemoServer = { port: 0, api: "", close: async () => {} };
  /** The file's answer, with the HTML pointed at `demo.api`; undefined when there is none. */
  async function answer(method: string, path: string) {
    const found = await files(method, path);
    if (!found || !found.headers["content-type"].startsWith("text/html")) return found;
    const html = found.body.toString("utf8");
    if (!html.includes(API_META)) throw new Error(`index.html lost its ${API_META}`);
    const csp = found.headers["content-security-policy"].replace("connect-src 'self'", `connect-src ${demo.api}`);
    return {
      ...found,
      headers: { ...found.headers, "content-security-policy": csp },
      body: Buffer.from(html.replace(API_META, `<meta name="auth-api" content="${demo.api}">`)),
    };
  }
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    answer(request.method ?? "", path).then(
      (found) => {
        if (!found) response.writeHead(404).end();
        else response.writeHead(found.status, { ...found.headers, "content-length": String(found.body.length) }).end(found.body);
      },
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  demo.port = await listenOnLoopback(server, 0);
  demo.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return demo;
}
