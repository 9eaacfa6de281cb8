/** The demo's static files: what is served, with which headers, and nothing outside its folder. */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { routes } from "../handlers/routes.js";
import { createGateway, type LambdaHandler } from "../local/gateway.js";
import { listenOnLoopback } from "../local/listen.js";
import { DEMO_DIR, staticFiles } from "../local/static-files.js";

/** One raw GET, the path sent exactly as written (fetch would normalise `..` and `%2e`). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, path, method: "GET", agent: false, timeout: 5_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error(`GET ${path}: no answer`)));
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("static files (the demo app)", () => {
  describe("the demo folder", () => {
    const files = staticFiles();

    for (const path of ["/", "/verify-email", "/reset-password"]) {
      it(`serves the page at ${path}, never cached, with CSP and nosniff`, async () => {
        const answer = (await files("GET", path))!;
        expect(answer.status).to.equal(200);
        expect(answer.body.toString("utf8")).to.equal(readFileSync(join(DEMO_DIR, "index.html"), "utf8"));
        expect(answer.headers).to.include({
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
        });
        const csp = answer.headers["content-security-policy"];
        for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "form-action 'none'", "frame-ancestors 'none'"]) {
          expect(csp).to.include(directive);
        }
        expect(csp).not.to.match(/unsafe-inline|unsafe-eval/);
      });
    }

    it("serves each asset with its type", async () => {
      const types: Record<string, string> = {
        "/app.js": "text/javascript; charset=utf-8",
        "/api.js": "text/javascript; charset=utf-8",
        "/dom.js": "text/javascript; charset=utf-8",
        "/mfa.js": "text/javascript; charset=utf-8",
        "/style.css": "text/css; charset=utf-8",
        "/favicon.svg": "image/svg+xml",
      };
      for (const [path, type] of Object.entries(types)) {
        const answer = (await files("GET", path))!;
        expect(answer?.status, path).to.equal(200);
        expect(answer.headers["content-type"], path).to.equal(type);
        expect(answer.headers["cache-control"], path).to.equal("no-cache");
        expect(answer.headers["x-content-type-options"], path).to.equal("nosniff");
      }
      // Every file of the demo is one of those: nothing there is left unserved by mistake.
      expect(readdirSync(DEMO_DIR).map((name) => `/${name}`).sort()).to.deep.equal([...Object.keys(types), "/index.html"].sort());
    });

    it("answers GET and HEAD only", async () => {
      expect((await files("HEAD", "/"))?.status).to.equal(200);
      for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) expect(await files(method, "/"), method).to.equal(undefined);
    });

    it("has no inline script, style or event handler, and builds no HTML from strings", () => {
      const html = readFileSync(join(DEMO_DIR, "index.html"), "utf8");
      expect(html).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html).not.to.match(/<style|\sstyle=|\son[a-z]+=/i);
      for (const name of readdirSync(DEMO_DIR).filter((n) => n.endsWith(".js"))) {
        expect(readFileSync(join(DEMO_DIR, name), "utf8"), name).not.to.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
      }
    });
  });

  describe("outside the folder", () => {
    let root: string;
    let outside: string;
    let files: ReturnType<typeof staticFiles>;

    before(() => {
      outside = mkdtempSync(join(tmpdir(), "static-files-"));
      root = join(outside, "site");
      mkdirSync(join(root, "sub"), { recursive: true });
      writeFileSync(join(root, "index.html"), "<p>page</p>");
      writeFileSync(join(root, "ok.js"), "export {};");
      writeFileSync(join(root, ".secret.js"), "dotfile");
      writeFileSync(join(root, "notes.txt"), "unknown type");
      writeFileSync(join(root, "sub", "deep.js"), "nested");
      writeFileSync(join(outside, "secret.js"), "outside");
      symlinkSync(join(outside, "secret.js"), join(root, "link.js"));
      mkdirSync(join(root, "folder.js"));
      files = staticFiles(root);
    });
    after(() => rmSync(outside, { recursive: true, force: true }));

    it("serves a plain file of the folder", async () => {
      expect((await files("GET", "/ok.js"))?.body.toString()).to.equal("export {};");
    });

    const refused = [
      "/../secret.js",
      "/..%2fsecret.js",
      "/%2e%2e/secret.js",
      "/%2e%2e%2fsecret.js",
      "/..\\secret.js",
      "/..%5csecret.js",
      "/sub/deep.js",
      "/sub%2fdeep.js",
      "//secret.js",
      "/.secret.js",
      "/notes.txt",
      "/link.js",
      "/folder.js",
      "/ok.js%00.html",
      "/ok.js/",
      "/missing.js",
      "/index.html/..",
      "",
      "ok.js",
    ];
    for (const path of refused) {
      it(`does not serve ${JSON.stringify(path)}`, async () => {
        expect(await files("GET", path)).to.equal(undefined);
      });
    }

    describe("through the gateway, paths sent raw", () => {
      const calls: string[] = [];
      const functions: Record<string, LambdaHandler> = {
        jwks: async () => {
          calls.push("jwks");
          return { keys: [] };
        },
        me: async () => {
          calls.push("me");
          return {};
        },
      };
      /** Static files that would answer any path: only what no route matches may reach them. */
      const everything = async () => ({ status: 200, headers: { "content-type": "text/plain" }, body: Buffer.from("static") });
      const gateways: Server[] = [];
      let base: string;
      let greedyBase: string;

      before(async () => {
        const options = { routes, functions, authorizer: "authorizer", authorizerCacheTtlSeconds: 0 };
        gateways.push(createGateway({ ...options, staticFiles: files }), createGateway({ ...options, staticFiles: everything }));
        base = `http://127.0.0.1:${await listenOnLoopback(gateways[0], 0)}`;
        greedyBase = `http://127.0.0.1:${await listenOnLoopback(gateways[1], 0)}`;
      });
      after(() => {
        for (const server of gateways) {
          server.closeAllConnections();
          server.close();
        }
      });

      it("serves the folder's files and nothing above it", async () => {
        expect(await rawGet(base, "/ok.js")).to.deep.equal({ status: 200, body: "export {};" });
        for (const path of ["/../secret.js", "/..%2fsecret.js", "/%2e%2e/secret.js", "/%2e%2e%2fsecret.js", "/..%5csecret.js", "/site/../secret.js", "/sub/../../secret.js", "/link.js"]) {
          const reply = await rawGet(base, path);
          expect(reply, path).to.deep.equal({ status: 404, body: '{"message":"Not Found"}' });
        }
      });

      it("lets API routes keep precedence", async () => {
        expect((await rawGet(greedyBase, "/.well-known/jwks.json")).body).to.equal('{"keys":[]}');
        // A protected route is still API Gateway's: 401 without a token, never a file.
        expect((await rawGet(greedyBase, "/me")).status).to.equal(401);
        expect(calls).to.deep.equal(["jwks"]);
        expect((await rawGet(greedyBase, "/anything")).body).to.equal("static");
      });
    });
  });
});
