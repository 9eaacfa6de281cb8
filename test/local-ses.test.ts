/**
 * The local mail server of `npm start`: aws-ses-v2-local on loopback, started and stopped
 * with the runtime (Ctrl-C and a failed start alike), reachable by the SES mailer through
 * the environment the bundles get.
 */
import { expect } from "chai";
import { networkInterfaces } from "node:os";
import { connect as netConnect, createServer } from "node:net";
import { verifyEmailMessage } from "../handlers/lib/domain/emails.js";
import { mailerFromEnv } from "../handlers/lib/runtime/mailer-from-env.js";
import { startLocalRuntime } from "../local/runtime.js";
import { startLocalSes } from "../local/ses.js";
import { startInProcessRuntime } from "./helpers/in-process-runtime.js";
import { spawnLocalRuntime } from "./helpers/local-runtime.js";
import { mailTo, tokenFromLink } from "./helpers/local-ses.js";

/** How a fresh TCP connection to `url`'s host and port ends: "connected" or the error code. */
function connect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = netConnect({ host: hostname, port: Number(port), timeout: 5_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

/** This machine's addresses other than loopback (none on some sandboxes). */
const outsideAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === "IPv4")
    .map((a) => a!.address);

describe("local mail server", function () {
  this.timeout(120_000);

  it("serves the SES API, the web view and the mailbox on 127.0.0.1 only, and frees its port on close", async () => {
    const ses = await startLocalSes();
    const port = new URL(ses.endpoint).port;
    try {
      expect(ses.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const view = await fetch(ses.endpoint);
      expect(view.status).to.equal(200);
      expect(view.headers.get("content-type")).to.match(/^text\/html/);
      expect((await fetch(ses.storeUrl)).status).to.equal(200);
      for (const address of outsideAddresses()) expect(await connect(`http://${address}:${port}`), address).to.equal("ECONNREFUSED");
    } finally {
      await ses.close();
    }
    expect(await connect(ses.endpoint)).to.equal("ECONNREFUSED");
  });

  it("the local runtime points the bundles' SES client at it, with APP_URL defaulting to its own URL, and stops it on close", async () => {
    const runtime = await startInProcessRuntime();
    let endpoint = "";
    try {
      endpoint = runtime.ses.endpoint;
      expect(process.env.AWS_ENDPOINT_URL_SESV2).to.equal(endpoint);
      expect(process.env.APP_URL).to.equal(runtime.url);
      // The same wiring a sending bundle does at cold start, from the env the runtime gave them.
      const { mailer, settings } = mailerFromEnv(process.env);
      expect(settings).to.deep.equal({ from: "no-reply@auth.localhost", appUrl: runtime.url });
      const to = `grace+${Date.now()}@example.com`;
      await mailer.send(verifyEmailMessage(to, { appUrl: settings.appUrl, token: "t0k3n", validForSeconds: 3600 }));
      const [mail] = await mailTo(runtime.ses.storeUrl, to);
      expect(mail.from).to.equal("no-reply@auth.localhost");
      expect(mail.text).to.include(`${runtime.url}/verify-email?token=t0k3n`);
      expect(tokenFromLink(mail, "verify-email")).to.equal("t0k3n");
    } finally {
      await runtime.close();
    }
    expect(await connect(endpoint!), "no mail server left behind").to.equal("ECONNREFUSED");
    expect(process.env.AWS_ENDPOINT_URL_SESV2, "the env is restored").to.equal(undefined);
  });

  it("a failed start (busy port) stops the mail server it had started", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const saved = { ...process.env };
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_SESV2;
    try {
      const port = (blocker.address() as { port: number }).port;
      const error = await startLocalRuntime({ port, memory: true, dataDir: "", log: () => {} }).then(() => undefined, (e: NodeJS.ErrnoException) => e);
      expect(error?.code).to.equal("EADDRINUSE");
      const endpoint = process.env.AWS_ENDPOINT_URL_SESV2;
      expect(endpoint, "the mail server had started").to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await connect(endpoint!), "and is stopped again").to.equal("ECONNREFUSED");
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      blocker.close();
    }
  });

  it("`npm start` prints where sent mail can be read and whether verification is required, and Ctrl-C stops the mail server with it", async () => {
    const runtime = await spawnLocalRuntime({ REQUIRE_EMAIL_VERIFICATION: "true" });
    const printed = /sent mail: (http:\/\/127\.0\.0\.1:\d+) \(web view\), (http:\/\/127\.0\.0\.1:\d+\/store) \(JSON\)/.exec(runtime.output());
    try {
      expect(printed, runtime.output()).not.to.equal(null);
      expect(runtime.output()).to.include("email verification: required; open the link in the sent mail");
      expect(runtime.output()).to.include(`demo app: ${runtime.url}/ (open it on this exact host)`);
      expect((await fetch(printed![2])).status).to.equal(200);
    } finally {
      expect(await runtime.stop(), "Ctrl-C exits cleanly").to.equal(0);
    }
    expect(await connect(printed![1]), "no mail server left behind").to.equal("ECONNREFUSED");
  });
});
