/**
 * Mail: the message templates (escaping, links), the SES adapter against a real local SES
 * v2 server (what was sent is read back through its HTTP API; nothing is mocked), its
 * failure mapping, and the cold-start checks of the mail settings.
 */
import { expect } from "chai";
import { sesMailer } from "../handlers/lib/adapters/ses-mailer.js";
import {
  duration,
  escapeHtml,
  passwordChangedMessage,
  resetPasswordMessage,
  signUpAttemptMessage,
  verifyEmailMessage,
} from "../handlers/lib/domain/emails.js";
import { ConfigError, TemporarilyUnavailableError } from "../handlers/lib/domain/errors.js";
import type { EmailMessage } from "../handlers/lib/domain/mailer.js";
import { describeError } from "../handlers/lib/http/error-response.js";
import { loadMailSettings } from "../handlers/lib/runtime/config.js";
import { localSes, tokenFromLink, type LocalSes } from "./helpers/local-ses.js";

const APP = "https://app.example.com";
/** A token with every character that needs percent-encoding in a query, and one HTML must escape. */
const TOKEN = "aB3_-x.y~z+/=&<\"'>";
const HOSTILE = `<script>alert("x")</script>&'"@example.com`;

const tokenMessages = {
  verify: (to: string, token = TOKEN) => verifyEmailMessage(to, { appUrl: APP, token, validForSeconds: 86_400 }),
  reset: (to: string, token = TOKEN) => resetPasswordMessage(to, { appUrl: APP, token, validForSeconds: 1800 }),
};
const PAGES = { verify: "verify-email", reset: "reset-password" } as const;

/** Every `<tag ...>` of an HTML body: only these may appear unescaped. */
const tags = (html: string) => html.match(/<[^>]*>/g) ?? [];

describe("mail", function () {
  describe("message templates", () => {
    for (const [kind, make] of Object.entries(tokenMessages) as [keyof typeof tokenMessages, (to: string, token?: string) => EmailMessage][]) {
      const page = PAGES[kind];
      it(`${kind}: the link is ${APP}/${page}?token=<the token, percent-encoded>, in text and HTML`, () => {
        const mail = make("ada@example.com");
        const link = `${APP}/${page}?token=${encodeURIComponent(TOKEN)}`;
        expect(mail.text).to.include(link);
        expect(mail.html).to.include(`href="${escapeHtml(link)}"`);
        expect(tokenFromLink({ ...mail, messageId: "", from: "", to: [mail.to], at: 0 }, page)).to.equal(TOKEN);
        expect(new URL(link).searchParams.get("token"), "the link decodes back to the token").to.equal(TOKEN);
      });

      it(`${kind}: the token appears only inside the link, never in the subject`, () => {
        const token = "tok3n-only-in-the-link";
        const mail = make("ada@example.com", token);
        const link = `${APP}/${page}?token=${token}`;
        expect(mail.subject).not.to.include(token);
        expect(mail.text.split(link).join(""), "text outside the link").not.to.include(token);
        expect(mail.html.split(link).join(""), "HTML outside the link").not.to.include(token);
        expect(mail.text.split(link).length - 1, "one link in the text").to.equal(1);
      });
    }

    it("escapes every interpolated value in the HTML (address, link)", () => {
      const all = [
        tokenMessages.verify(HOSTILE),
        tokenMessages.reset(HOSTILE),
        signUpAttemptMessage(HOSTILE, `${APP}/a"b<c>`),
        passwordChangedMessage(HOSTILE, `${APP}/a"b<c>`),
      ];
      for (const mail of all) {
        expect(mail.html, mail.subject).not.to.include("<script");
        expect(mail.html, mail.subject).to.include("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&quot;@example.com");
        // Only the template's own tags: nothing interpolated opened a tag or broke out of an attribute.
        for (const tag of tags(mail.html)) expect(tag, mail.subject).to.match(/^<(\/?(p|a|html|head|body|title)|!doctype html|meta charset="utf-8"|a href="[^"<>]*")>$/);
        expect(mail.to).to.equal(HOSTILE);
        expect(mail.text, "the text body is not HTML: no escaping there").to.include(HOSTILE);
      }
    });

    it("has a subject, a text and an HTML body for each of the four messages, links from the app URL", () => {
      const all = [
        tokenMessages.verify("ada@example.com"),
        signUpAttemptMessage("ada@example.com", APP),
        tokenMessages.reset("ada@example.com"),
        passwordChangedMessage("ada@example.com", APP),
      ];
      expect(all.map((m) => m.subject)).to.deep.equal([
        "Verify your email address",
        "Someone tried to sign up with your email address",
        "Reset your password",
        "Your password was changed",
      ]);
      for (const mail of all) {
        expect(mail.text, mail.subject).to.include(APP);
        expect(mail.html, mail.subject).to.include(`<a href="${APP}`);
        expect(mail.text, mail.subject).to.include("ada@example.com");
      }
      expect(tokenMessages.verify("a@b.c").text).to.include("within 24 hours");
      expect(tokenMessages.reset("a@b.c").text).to.include("within 30 minutes");
    });

    it("says lifetimes as a person would", () => {
      expect([60, 1800, 3600, 5400, 86_400, 7200, 1, 3599].map(duration)).to.deep.equal([
        "1 minute",
        "30 minutes",
        "1 hour",
        "1 hour 30 minutes",
        "24 hours",
        "2 hours",
        "1 minute",
        "60 minutes",
      ]);
    });
  });

  describe("SES adapter against the local SES v2 server", () => {
    let ses: LocalSes;
    before(async () => {
      ses = await localSes();
    });
    after(async () => {
      await ses?.close();
    });

    it("sends subject, text and HTML from the configured address, read back through the server's HTTP API", async () => {
      const to = `ada+${Date.now()}@example.com`;
      const sent = tokenMessages.verify(to);
      await sesMailer(ses.client, { from: "no-reply@auth.example.com", configurationSet: "auth-dev" }).send(sent);
      const inbox = await ses.mailTo(to);
      expect(inbox).to.have.length(1);
      const [mail] = inbox;
      expect(mail.to).to.deep.equal([to]);
      expect(mail.from).to.equal("no-reply@auth.example.com");
      expect(mail.subject).to.equal(sent.subject);
      expect(mail.text).to.equal(sent.text);
      expect(mail.html).to.equal(sent.html);
      expect(tokenFromLink(mail, "verify-email")).to.equal(TOKEN);
    });

    it("keeps non-ASCII subjects and bodies intact (UTF-8)", async () => {
      const to = `zoe+${Date.now()}@example.com`;
      const sent: EmailMessage = { to, subject: "Vérifiez — 確認 ✓", text: "Grüße, 日本\n", html: "<p>Grüße, 日本</p>" };
      await sesMailer(ses.client, { from: "no-reply@auth.example.com" }).send(sent);
      const [mail] = await ses.mailTo(to);
      expect({ subject: mail.subject, text: mail.text, html: mail.html }).to.deep.equal({ subject: sent.subject, text: sent.text, html: sent.html });
    });

    it("a failure (the server stopped) is temporarily_unavailable (503), and its logged cause quotes no address", async () => {
      const stopped = await localSes();
      await stopped.close();
      // close() destroyed its client: a fresh one to the now closed port.
      const { SESv2Client } = await import("@aws-sdk/client-sesv2");
      const client = new SESv2Client({ endpoint: stopped.endpoint, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" }, maxAttempts: 1 });
      try {
        const error = await sesMailer(client, { from: "no-reply@auth.example.com" })
          .send(tokenMessages.verify("secret.person@example.com"))
          .then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(TemporarilyUnavailableError);
        expect((error as TemporarilyUnavailableError).status).to.equal(503);
        expect((error as TemporarilyUnavailableError).retryAfterSeconds).to.equal(1);
        const logged = JSON.stringify(describeError(error));
        expect(logged).to.include("SesError");
        expect(logged).not.to.include("secret.person");
        expect(logged).not.to.include("example.com");
      } finally {
        client.destroy();
      }
    });
  });

  describe("mail settings at cold start", () => {
    const base = { EMAIL_FROM: "no-reply@auth.example.com", APP_URL: "https://app.example.com" };
    const refusal = (env: Record<string, string>) => {
      try {
        loadMailSettings(env);
      } catch (error) {
        return error;
      }
      return undefined;
    };

    it("reads EMAIL_FROM, APP_URL (without a trailing slash) and the optional SES_CONFIGURATION_SET", () => {
      expect(loadMailSettings(base)).to.deep.equal({ from: "no-reply@auth.example.com", appUrl: "https://app.example.com" });
      expect(loadMailSettings({ ...base, APP_URL: "https://example.com/account/", SES_CONFIGURATION_SET: "auth-prod" })).to.deep.equal({
        from: "no-reply@auth.example.com",
        appUrl: "https://example.com/account",
        configurationSet: "auth-prod",
      });
      for (const local of ["http://127.0.0.1:3000", "http://localhost:5173", "http://[::1]:8080"]) {
        expect(loadMailSettings({ ...base, APP_URL: local }).appUrl, local).to.equal(local);
      }
    });

    const bad: [string, Record<string, string>][] = [
      ["EMAIL_FROM", { APP_URL: base.APP_URL }],
      ["EMAIL_FROM", { ...base, EMAIL_FROM: "not an address" }],
      ["EMAIL_FROM", { ...base, EMAIL_FROM: "Auth <no-reply@example.com>" }],
      ["EMAIL_FROM", { ...base, EMAIL_FROM: "no-reply@localhost" }],
      ["EMAIL_FROM", { ...base, EMAIL_FROM: "No-Reply@Example.com" }],
      ["APP_URL", { EMAIL_FROM: base.EMAIL_FROM }],
      ["APP_URL", { ...base, APP_URL: "http://app.example.com" }],
      ["APP_URL", { ...base, APP_URL: "app.example.com" }],
      ["APP_URL", { ...base, APP_URL: "https://app.example.com/?next=1" }],
      ["APP_URL", { ...base, APP_URL: "https://app.example.com/#x" }],
      ["APP_URL", { ...base, APP_URL: "https://user:pw@app.example.com" }],
      ["APP_URL", { ...base, APP_URL: "http://localhost.evil.example" }],
      ["APP_URL", { ...base, APP_URL: "javascript:alert(1)" }],
      ["SES_CONFIGURATION_SET", { ...base, SES_CONFIGURATION_SET: "has spaces" }],
      ["SES_CONFIGURATION_SET", { ...base, SES_CONFIGURATION_SET: "x".repeat(65) }],
    ];
    for (const [variable, env] of bad) {
      it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
        const error = refusal(env);
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).variable).to.equal(variable);
        expect((error as ConfigError).message).to.include(variable);
      });
    }
  });
});
