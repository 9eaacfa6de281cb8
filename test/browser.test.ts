/**
 * The demo app (local/demo/) in real headless Chromium against the local runtime, with email
 * verification required: every flow a person walks, by clicking, with the links read from
 * the local mail store. The steps run in order and share the browser.
 *
 * Without a browser the test is pending and its title says what to install; in CI (CI set)
 * a missing browser fails.
 */
import { expect } from "chai";
import { Secret, TOTP } from "otpauth";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { findChromium, inCi, INSTALL_CHROMIUM, launchChromium } from "./helpers/chromium.js";
import { startInProcessRuntime, type InProcessRuntime } from "./helpers/in-process-runtime.js";
import { serveDemoElsewhere, type DemoServer } from "./helpers/demo-server.js";
import { mailTo, tokenFromLink } from "./helpers/local-ses.js";

/**
 * Failures that lock an account. Above 2: an MFA sign-in counts its password step and its code
 * under one counter until a code succeeds, so a wrong code then the right one takes three.
 */
const LOCKOUT_MAX_FAILURES = 4;

/** Every wait in the browser is bounded by this (playwright's timeouts: no sleeping). */
const STEP_TIMEOUT_MS = 15_000;

const executablePath = findChromium();

describe("the demo app in real Chromium", function () {
  this.timeout(60_000);

  if (!executablePath && !inCi()) {
    it(`walks every flow of the demo (pending: ${INSTALL_CHROMIUM})`);
    return;
  }

  const email = "ada.demo@example.com";
  const passwords = ["correct horse battery", "a brand new passphrase", "yet another long passphrase"];
  let runtime: InProcessRuntime;
  /** The same files on another port, pointed at the runtime's API (CORS allows both of its host names). */
  let demo: DemoServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** What the browser saw from the API, per page: "POST /auth/refresh 200". */
  const seen = new Map<Page, string[]>();
  /** Script errors and CSP violations in any page: there must be none. */
  const problems: string[] = [];

  /** A page that records its API answers and its problems; `path` on the runtime, or a whole URL. */
  async function openPage(inContext: BrowserContext, path = "/"): Promise<{ page: Page; response: Response | null }> {
    const opened = await inContext.newPage();
    seen.set(opened, []);
    opened.on("response", (r) => {
      const url = new URL(r.url());
      if (url.origin === runtime.url) seen.get(opened)!.push(`${r.request().method()} ${url.pathname} ${r.status()}`);
    });
    opened.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    opened.on("console", (message) => {
      // Chromium reports each 4xx answer to fetch as a console error; those are expected here.
      if (message.type() === "error" && !/Failed to load resource/.test(message.text())) problems.push(message.text());
    });
    const response = await opened.goto(new URL(path, runtime.url).href);
    return { page: opened, response };
  }

  const newContext = async () => {
    const created = await browser.newContext();
    created.setDefaultTimeout(STEP_TIMEOUT_MS);
    return created;
  };
  const state = (p: Page, name: "signed-in" | "signed-out" | "mfa" | "verify" | "reset") => p.locator(`#state[data-state="${name}"]`).waitFor();
  const notice = (p: Page, text: RegExp) => p.locator("#notice", { hasText: text }).waitFor();
  const answers = (p: Page, pattern: RegExp) => seen.get(p)!.filter((line) => pattern.test(line));

  async function fill(p: Page, form: string, values: Record<string, string>) {
    for (const [name, value] of Object.entries(values)) await p.locator(`#${form} [name="${name}"]`).fill(value);
    await p.locator(`#${form} button[type="submit"]`).click();
  }

  async function signIn(p: Page, password: string, address = email) {
    await fill(p, "sign-in-form", { email: address, password });
    await state(p, "signed-in");
  }

  /** The newest link of `kind` in the mail sent to the account. */
  async function latestLink(kind: "verify-email" | "reset-password", address = email): Promise<string> {
    const links = (await mailTo(runtime.ses.storeUrl, address))
      .map((mail) => new RegExp(`(https?://\\S+/${kind}\\?token=[^\\s"<]+)`).exec(mail.text)?.[1])
      .filter((link): link is string => link !== undefined);
    expect(links, `a ${kind} link was mailed`).not.to.be.empty;
    return links[links.length - 1];
  }

  /** The cookies the browser would send to the refresh route (the cookie's Path is /auth). */
  const refreshCookies = () => context.cookies(`${runtime.url}/auth/refresh`);

  /** The session list as shown: one line per session. */
  const shownSessions = (p: Page) => p.locator("#sessions li").allTextContents();

  before(async function () {
    if (!executablePath) throw new Error(`${INSTALL_CHROMIUM} (CI is set, so the browser test fails without it)`);
    demo = await serveDemoElsewhere();
    runtime = await startInProcessRuntime({
      REQUIRE_EMAIL_VERIFICATION: "true",
      LOCKOUT_MAX_FAILURES: String(LOCKOUT_MAX_FAILURES),
      CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${demo.port},http://localhost:${demo.port}`,
    });
    demo.api = runtime.url;
    browser = await launchChromium(executablePath);
    context = await newContext();
  });

  after(async () => {
    await browser?.close();
    await runtime?.close();
    await demo?.close();
  });

  describe("every flow, on the runtime's own origin", () => {
    it("serves the app with its security headers, signed out at first", async () => {
      const opened = await openPage(context);
      page = opened.page;
      const headers = opened.response!.headers();
      expect(opened.response!.status()).to.equal(200);
      expect(headers["content-type"]).to.equal("text/html; charset=utf-8");
      expect(headers["cache-control"]).to.equal("no-store");
      expect(headers["x-content-type-options"]).to.equal("nosniff");
      expect(headers["content-security-policy"]).to.include("script-src 'self'");
      await state(page, "signed-out");
      // It tried the cookie (there is none yet) and showed the sign-in forms.
      expect(answers(page, /refresh/)).to.deep.equal(["POST /auth/refresh 400"]);
    });

    it("signs up; a sign-in before verifying is 403 email_not_verified, with a way to get a new link", async () => {
      await fill(page, "sign-up-form", { email, password: passwords[0] });
      await notice(page, /Check the mail of ada\.demo@example\.com/);
      await fill(page, "sign-in-form", { email, password: passwords[0] });
      await notice(page, /Verify your email first/);
      expect(answers(page, /login/)).to.deep.equal(["POST /auth/login 403"]);
      await page.locator("#resend-button").click();
      await notice(page, /a new link is on its way/);
      expect(await mailTo(runtime.ses.storeUrl, email)).to.have.length(2);
    });

    it("verifies the email from the mailed link, which leaves the address bar at once", async () => {
      const link = await latestLink("verify-email");
      expect(link.startsWith(`${runtime.url}/verify-email?token=`)).to.equal(true);
      await page.goto(link);
      await state(page, "verify");
      expect(page.url()).to.equal(`${runtime.url}/`);
      await page.locator("#verify-button").click();
      await notice(page, /Email verified: sign in/);
      expect(answers(page, /^POST \/auth\/verify-email /)).to.deep.equal(["POST /auth/verify-email 204"]);
    });

    it("signs in and shows the profile and this session; no script can read a token", async () => {
      await signIn(page, passwords[0]);
      expect(await page.locator("#profile-email").textContent()).to.equal(email);
      expect(await page.locator("#profile-tenant").textContent()).to.equal("default");
      expect(await shownSessions(page)).to.have.length(1);
      expect(await page.locator("#sessions li.current").count()).to.equal(1);

      const [cookie, ...others] = await refreshCookies();
      expect(others, "one cookie").to.be.empty;
      expect(cookie).to.include({ name: "refresh_token", httpOnly: true, secure: true, sameSite: "Strict", path: "/auth" });
      const readable = await page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })]);
      expect(readable).to.deep.equal(["", "{}", "{}"]);
    });

    it("stays signed in across a reload, through the cookie", async () => {
      await page.reload();
      await state(page, "signed-in");
      expect(await page.locator("#profile-email").textContent()).to.equal(email);
      expect(answers(page, /refresh/).slice(-1)).to.deep.equal(["POST /auth/refresh 200"]);
    });

    it("keeps two tabs signed in when both refresh at the same moment", async () => {
      const second = (await openPage(context)).page;
      await state(second, "signed-in");
      // Hold each tab's refresh until both are on their way, so both carry the same cookie.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await context.route("**/auth/refresh", async (route) => {
        await gate;
        await route.continue();
      });
      try {
        const bothSent = Promise.all([page.waitForRequest("**/auth/refresh"), second.waitForRequest("**/auth/refresh")]);
        const reloads = Promise.all([page.reload(), second.reload()]);
        await bothSent;
        release();
        await reloads;
        await Promise.all([state(page, "signed-in"), state(second, "signed-in")]);
      } finally {
        release();
        await context.unroute("**/auth/refresh");
      }
      expect(answers(page, /refresh/).slice(-1)).to.deep.equal(["POST /auth/refresh 200"]);
      expect(answers(second, /refresh/).slice(-1)).to.deep.equal(["POST /auth/refresh 200"]);

      // Neither was signed out, and the cookie left behind still works: the session lives.
      await second.reload();
      await state(second, "signed-in");
      expect(await shownSessions(second)).to.have.length(1);
      await second.close();
    });

    it("on a refused access token, refreshes once and retries once", async () => {
      // What an expired access token gets from API Gateway: 403 {"message":"Forbidden"}.
      let refused = false;
      await page.route("**/auth/sessions", async (route) => {
        if (refused) return route.continue();
        refused = true;
        await route.fulfill({ status: 403, contentType: "application/json", body: '{"message":"Forbidden"}' });
      });
      const before = seen.get(page)!.length;
      try {
        await page.locator("#sessions-button").click();
        await page.locator("#sessions-button:enabled").waitFor();
      } finally {
        await page.unroute("**/auth/sessions");
      }
      expect(seen.get(page)!.slice(before)).to.deep.equal(["GET /auth/sessions 403", "POST /auth/refresh 200", "GET /auth/sessions 200"]);
      await state(page, "signed-in");
    });

    it("lists the sessions of other devices, rendering their data as text, and ends one", async () => {
      const device = await newContext();
      const other = (await openPage(device)).page;
      await signIn(other, passwords[0]);
      // A session whose user agent is markup: it must show as text and run nothing.
      const hostile = '<img src=x onerror="window.__xss=1">';
      const login = await runtime.call("POST", "/auth/login", { email, password: passwords[0] }, { "user-agent": hostile });
      expect(login.status).to.equal(200);

      await page.locator("#sessions-button").click();
      await page.locator("#sessions li").nth(2).waitFor();
      const lines = await shownSessions(page);
      expect(lines.filter((line) => line.includes(hostile)), "the user agent as text").to.have.length(1);
      expect(await page.locator("#sessions img").count()).to.equal(0);
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).to.equal(undefined);

      // End the other browser's session: its next call refreshes once, is refused, and asks to sign in again.
      const otherAgent = await other.evaluate(() => navigator.userAgent);
      await page.locator("#sessions li", { hasText: otherAgent }).locator("button.end-session").first().click();
      await notice(page, /That session has ended/);
      expect(await shownSessions(page)).to.have.length(2);
      await other.locator("#sessions-button").click();
      await state(other, "signed-out");
      await notice(other, /Your session has ended: sign in again/);
      expect(answers(other, /sessions|refresh/).slice(-2)).to.deep.equal(["GET /auth/sessions 401", "POST /auth/refresh 401"]);

      // Sign out the other devices: only this one is left, still signed in.
      await signIn(other, passwords[0]);
      await page.locator("#sign-out-others-button").click();
      await notice(page, /Your other sessions have ended/);
      expect(await shownSessions(page)).to.have.length(1);
      await state(page, "signed-in");
      await other.locator("#sessions-button").click();
      await state(other, "signed-out");
      await device.close();
    });

    it("a wrong current password is refused without a refresh, a retry or a sign-out", async () => {
      const before = seen.get(page)!.length;
      await fill(page, "password-form", { current_password: "not the current password", new_password: passwords[1] });
      await notice(page, /The current password is not right/);
      // 401 invalid_grant refuses the password in the body, not the access token.
      expect(seen.get(page)!.slice(before)).to.deep.equal(["POST /auth/password 401"]);
      await state(page, "signed-in");
    });

    it("changes the password (this session continues), then signs out everywhere", async () => {
      await fill(page, "password-form", { current_password: passwords[0], new_password: passwords[1] });
      await notice(page, /Password changed\. Your other sessions have ended/);
      await state(page, "signed-in");

      const device = await newContext();
      const other = (await openPage(device)).page;
      await signIn(other, passwords[1]);
      await page.locator("#sign-out-everywhere-button").click();
      await notice(page, /Signed out everywhere/);
      await state(page, "signed-out");
      await other.locator("#sessions-button").click();
      await state(other, "signed-out");
      await device.close();

      await page.reload();
      await state(page, "signed-out");
    });

    it("says what a 401 and a 429 mean, and waits out Retry-After", async () => {
      for (let n = 1; n <= LOCKOUT_MAX_FAILURES; n++) {
        const answered = page.waitForResponse("**/auth/login");
        await fill(page, "sign-in-form", { email: "nobody.demo@example.com", password: `not the password ${n}` });
        expect((await answered).status()).to.equal(401);
        await notice(page, /Wrong email or password/);
      }
      await fill(page, "sign-in-form", { email: "nobody.demo@example.com", password: "not the password either" });
      await notice(page, /Too many attempts: try again in \d+ s/);
      expect(answers(page, /login/).slice(-(LOCKOUT_MAX_FAILURES + 1))).to.deep.equal([
        ...Array<string>(LOCKOUT_MAX_FAILURES).fill("POST /auth/login 401"),
        "POST /auth/login 429",
      ]);
      expect(await page.locator("#sign-in-form button[type=submit]").isDisabled(), "held for Retry-After").to.equal(true);
      await page.reload();
      await state(page, "signed-out");
    });

    it("resets a forgotten password from the mailed link; every session ends", async () => {
      await fill(page, "forgot-form", { email });
      await notice(page, /a reset link is on its way/);
      await page.goto(await latestLink("reset-password"));
      await state(page, "reset");
      expect(page.url()).to.equal(`${runtime.url}/`);
      await fill(page, "reset-form", { new_password: passwords[2] });
      await notice(page, /Password changed, and every session has ended/);
      await state(page, "signed-out");
      await fill(page, "sign-in-form", { email, password: passwords[1] });
      await notice(page, /Wrong email or password/);
      await signIn(page, passwords[2]);
    });

    it("signs out here: the cookie is gone and a reload stays signed out", async () => {
      await page.locator("#sign-out-button").click();
      await notice(page, /^Signed out\.$/);
      await state(page, "signed-out");
      expect(await refreshCookies()).to.deep.equal([]);
      await page.reload();
      await state(page, "signed-out");
    });

    it("signs out with an expired access token by revoking the cookie's session, with no refresh first", async () => {
      const device = await newContext();
      const other = (await openPage(device)).page;
      await signIn(other, passwords[2]);
      // The page's clock passes the access token's expiry (15 min); the API's clock does not move.
      await device.clock.setSystemTime(Date.now() + 20 * 60_000);
      const [held] = await device.cookies(`${runtime.url}/auth/refresh`);
      const before = seen.get(other)!.length;
      await other.locator("#sign-out-button").click();
      await notice(other, /^Signed out\.$/);
      await state(other, "signed-out");
      expect(seen.get(other)!.slice(before), "no refresh, no logout").to.deep.equal(["POST /auth/revoke 200"]);
      expect(await device.cookies(`${runtime.url}/auth/refresh`), "the revocation cleared the cookie").to.deep.equal([]);
      await other.reload();
      await state(other, "signed-out");
      await device.close();
      // The session ended on the server too, not only in this browser.
      const refresh = await runtime.call("POST", "/auth/refresh", undefined, { cookie: `refresh_token=${held.value}`, origin: runtime.url });
      expect(refresh.status).to.equal(401);
    });

    it("falls back to the logout where POST /auth/revoke is missing", async () => {
      const device = await newContext();
      const other = (await openPage(device)).page;
      await signIn(other, passwords[2]);
      await device.clock.setSystemTime(Date.now() + 20 * 60_000);
      // An API from before the revocation endpoint: the gateway's 404.
      await other.route("**/auth/revoke", (route) => route.fulfill({ status: 404, contentType: "application/json", body: '{"message":"Not Found"}' }));
      const before = seen.get(other)!.length;
      await other.locator("#sign-out-button").click();
      await notice(other, /^Signed out\.$/);
      await state(other, "signed-out");
      expect(seen.get(other)!.slice(before)).to.deep.equal(["POST /auth/revoke 404", "POST /auth/logout 204"]);
      expect(await device.cookies(`${runtime.url}/auth/refresh`)).to.deep.equal([]);
      await device.close();
    });

    it("deletes the account", async () => {
      await signIn(page, passwords[2]);
      await fill(page, "delete-form", { password: passwords[2] });
      await notice(page, /Your account is deleted/);
      await state(page, "signed-out");
      await fill(page, "sign-in-form", { email, password: passwords[2] });
      await notice(page, /Wrong email or password/);
    });
  });

  describe("two-step sign-in with an authenticator app (TOTP)", () => {
    const address = "mfa.demo@example.com";
    const password = "a long mfa passphrase";
    let mfaContext: BrowserContext;
    let p: Page;
    /** The app the user set up: built from the key the page shows, as a person types it in. */
    let app: TOTP;
    /** The newest 30 s step whose code the test has used: the API accepts each step once. */
    let lastStep = -Infinity;
    let recoveryCodes: string[];
    /** A recovery code from before new ones were made. */
    let oldRecoveryCode: string;

    /**
     * A code the API has not seen, computed now: the current step's, or the next one's when the
     * current step's code is used already (the API accepts ±1 step, RFC 6238 §5.2). No waiting
     * for the clock, and the outcome does not depend on where in its 30 s step the test runs.
     */
    function freshCode(): string {
      const step = Math.max(app.counter(), lastStep + 1);
      if (step > app.counter() + 1) throw new Error("test bug: more than two codes used within one 30 s step");
      lastStep = step;
      return app.generate({ timestamp: step * app.period * 1000 });
    }

    /** A code of the right shape that no step the API would accept (now ±1) produces. */
    function wrongCode(): string {
      const step = app.counter();
      const valid = new Set([-2, -1, 0, 1, 2].map((d) => app.generate({ timestamp: (step + d) * app.period * 1000 })));
      for (let n = 0; n < 10; n++) {
        const candidate = String(n).repeat(app.digits);
        if (!valid.has(candidate)) return candidate;
      }
      throw new Error("unreachable: five codes cannot cover ten candidates");
    }

    const mfaStatus = () => p.locator("#mfa-status").getAttribute("data-enabled");
    const amr = () => p.locator("#profile-amr").getAttribute("data-amr");
    const codeStep = () => p.locator("#mfa-verify-form");

    async function signOut() {
      await p.locator("#sign-out-button").click();
      await state(p, "signed-out");
    }

    /** The password step of a sign-in that asks for a code next: no tokens and no cookie yet. */
    async function passwordStep() {
      const before = seen.get(p)!.length;
      await fill(p, "sign-in-form", { email: address, password });
      await state(p, "mfa");
      expect(seen.get(p)!.slice(before)).to.deep.equal(["POST /auth/login 200"]);
      expect(await mfaContext.cookies(`${runtime.url}/auth/refresh`), "no cookie before the code").to.deep.equal([]);
    }

    before(async () => {
      mfaContext = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
      mfaContext.setDefaultTimeout(STEP_TIMEOUT_MS);
      p = (await openPage(mfaContext)).page;
    });
    after(() => mfaContext?.close());

    it("signs up, verifies and signs in: two-step sign-in is off, the token says password only", async () => {
      await state(p, "signed-out");
      await fill(p, "sign-up-form", { email: address, password });
      await notice(p, /Check the mail of mfa\.demo@example\.com/);
      await p.goto(await latestLink("verify-email", address));
      await p.locator("#verify-button").click();
      await notice(p, /Email verified: sign in/);
      await signIn(p, password, address);
      expect(await mfaStatus()).to.equal("false");
      expect(await amr()).to.equal("pwd");
      expect(await p.locator("#profile-amr").textContent()).to.equal("password");
    });

    it("enrols: the QR code and the key to type, confirmed with the app's code; ten recovery codes shown once, copied", async () => {
      await p.locator("#mfa-enrol-button").click();
      await p.locator("#mfa-enrol").waitFor();
      const qr = p.locator("#mfa-qr");
      expect(await qr.getAttribute("src")).to.match(/^data:image\/svg\+xml;base64,/);
      // Drawn, so the page's CSP let the data URI through.
      await p.waitForFunction(() => (document.getElementById("mfa-qr") as HTMLImageElement).naturalWidth > 0);
      const secret = (await p.locator("#mfa-secret").textContent())!.replace(/\s+/g, "");
      expect(secret).to.match(/^[A-Z2-7]{16,}$/);
      const uri = new URL((await p.locator("#mfa-uri").getAttribute("href"))!);
      expect(uri.protocol).to.equal("otpauth:");
      expect(uri.searchParams.get("secret")).to.equal(secret);
      app = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });

      // The field a person fills, found by its label; phones offer the code from an SMS or the app.
      const codeField = p.getByLabel("Code the app shows now");
      expect(await codeField.getAttribute("autocomplete")).to.equal("one-time-code");
      expect(await codeField.getAttribute("inputmode")).to.equal("numeric");
      await codeField.fill(freshCode());
      await p.locator("#mfa-confirm-form button[type=submit]").click();
      await notice(p, /Two-step sign-in is on\. Save your recovery codes now/);
      expect(answers(p, /^POST \/auth\/mfa\//)).to.deep.equal(["POST /auth/mfa/totp 200", "POST /auth/mfa/totp/confirm 200"]);
      expect(await mfaStatus()).to.equal("true");
      // The key and the QR code leave the page once confirmed.
      expect(await p.locator("#mfa-enrol").isHidden()).to.equal(true);
      expect(await p.locator("#mfa-secret").textContent()).to.equal("");
      expect(await qr.getAttribute("src")).to.equal(null);

      recoveryCodes = await p.locator("#mfa-recovery-codes li").allTextContents();
      expect(recoveryCodes).to.have.length(10);
      expect(new Set(recoveryCodes).size).to.equal(10);
      await p.locator("#mfa-copy-button").click();
      await notice(p, /recovery codes are copied/);
      expect(await p.evaluate(() => navigator.clipboard.readText())).to.equal(recoveryCodes.join("\n"));
      await p.locator("#mfa-recovery-done-button").click();
      await p.locator("#mfa-recovery").waitFor({ state: "hidden" });
      expect(await p.locator("#mfa-recovery-codes li").count(), "shown once").to.equal(0);

      // Nothing of it in storage a script could read.
      const readable = await p.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })]);
      expect(readable).to.deep.equal(["", "{}", "{}"]);
    });

    it("signs in with the password, then the code: a wrong code keeps the step, the app's code signs in with amr pwd+otp", async () => {
      await signOut();
      await passwordStep();
      const field = codeStep().getByLabel("Code from the app");
      expect(await field.getAttribute("autocomplete")).to.equal("one-time-code");
      expect(await field.getAttribute("inputmode")).to.equal("numeric");
      await field.fill(wrongCode());
      await codeStep().locator("button[type=submit]").click();
      await notice(p, /That code did not work/);
      await state(p, "mfa");
      await field.fill(freshCode());
      await codeStep().locator("button[type=submit]").click();
      await state(p, "signed-in");
      expect(answers(p, /mfa\/verify/)).to.deep.equal(["POST /auth/mfa/verify 401", "POST /auth/mfa/verify 200"]);
      expect(await amr()).to.equal("pwd otp");
      expect(await p.locator("#profile-amr").textContent()).to.equal("password + one-time code");
      expect(await mfaStatus()).to.equal("true");
    });

    it("refuses a used code again (replay); new recovery codes with the password replace the old ones", async () => {
      const used = app.generate({ timestamp: lastStep * app.period * 1000 });
      await fill(p, "mfa-regenerate-form", { code: used });
      await notice(p, /That code or password is not right/);
      await state(p, "signed-in");
      await fill(p, "mfa-regenerate-form", { code: "", password });
      await notice(p, /New recovery codes/);
      const renewed = await p.locator("#mfa-recovery-codes li").allTextContents();
      expect(renewed).to.have.length(10);
      expect(renewed.filter((code) => recoveryCodes.includes(code))).to.deep.equal([]);
      expect(answers(p, /recovery-codes/)).to.deep.equal(["POST /auth/mfa/recovery-codes 401", "POST /auth/mfa/recovery-codes 200"]);
      await p.locator("#mfa-recovery-done-button").click();
      oldRecoveryCode = recoveryCodes[0];
      recoveryCodes = renewed;
    });

    it("signs in with a new recovery code instead of the app's", async () => {
      await signOut();
      await passwordStep();
      await p.locator("#mfa-switch-button").click();
      const field = codeStep().getByLabel("Recovery code");
      expect(await field.getAttribute("autocomplete")).to.equal("off");
      expect(await codeStep().getByLabel("Code from the app").isHidden()).to.equal(true);
      await field.fill(recoveryCodes[0]);
      await codeStep().locator("button[type=submit]").click();
      await state(p, "signed-in");
      await notice(p, /Signed in with a recovery code/);
      expect(answers(p, /mfa\/verify/).slice(-1)).to.deep.equal(["POST /auth/mfa/verify 200"]);
    });

    it("refuses a replaced recovery code and a used one", async () => {
      await signOut();
      await passwordStep();
      await p.locator("#mfa-switch-button").click();
      const field = codeStep().getByLabel("Recovery code");
      for (const refused of [oldRecoveryCode, recoveryCodes[0]]) {
        const answered = p.waitForResponse("**/auth/mfa/verify");
        await field.fill(refused);
        await codeStep().locator("button[type=submit]").click();
        expect((await answered).status()).to.equal(401);
        await notice(p, /That code did not work/);
        await state(p, "mfa");
      }
      await field.fill(recoveryCodes[1]);
      await codeStep().locator("button[type=submit]").click();
      await state(p, "signed-in");
      expect(answers(p, /mfa\/verify/).slice(-3)).to.deep.equal(["POST /auth/mfa/verify 401", "POST /auth/mfa/verify 401", "POST /auth/mfa/verify 200"]);
    });

    it("turns two-step sign-in off with the password: the next sign-in asks for no code", async () => {
      await fill(p, "mfa-disable-form", { password });
      await notice(p, /Two-step sign-in is off/);
      expect(await mfaStatus()).to.equal("false");
      expect(answers(p, /^DELETE \/auth\/mfa\/totp /)).to.deep.equal(["DELETE /auth/mfa/totp 204"]);
      await signOut();
      await signIn(p, password, address);
      expect(await amr()).to.equal("pwd");
      expect(await mfaStatus()).to.equal("false");
    });
  });

  describe("served from another origin, as for a deployed stage", () => {
    const address = "grace.demo@example.com";
    const password = "another correct horse";
    let other: BrowserContext;

    before(async () => {
      expect((await runtime.call("POST", "/auth/register", { email: address, password })).status).to.equal(202);
      const [mail] = await mailTo(runtime.ses.storeUrl, address);
      expect((await runtime.call("POST", "/auth/verify-email", { token: tokenFromLink(mail, "verify-email") })).status).to.equal(204);
    });
    beforeEach(async () => {
      other = await newContext();
    });
    afterEach(() => other.close());

    it("on the same site (127.0.0.1, another port): CORS with credentials, and a reload stays signed in", async () => {
      const origin = `http://127.0.0.1:${demo.port}`;
      const { page: p } = await openPage(other, `${origin}/`);
      await state(p, "signed-out");
      await signIn(p, password, address);
      const refresh = p.waitForRequest("**/auth/refresh");
      await p.reload();
      expect((await (await refresh).allHeaders()).origin, "the origin the API checks").to.equal(origin);
      await state(p, "signed-in");
      expect(await p.locator("#profile-email").textContent()).to.equal(address);
      expect(answers(p, /refresh/).slice(-1)).to.deep.equal(["POST /auth/refresh 200"]);
    });

    it("from localhost, another site than 127.0.0.1: signing in works, but no cookie is kept, so a reload signs out", async () => {
      const { page: p } = await openPage(other, `http://localhost:${demo.port}/`);
      await state(p, "signed-out");
      await signIn(p, password, address);
      expect(await other.cookies(`${runtime.url}/auth/refresh`), "SameSite=Strict from another site").to.deep.equal([]);
      await p.reload();
      await state(p, "signed-out");
      expect(answers(p, /refresh/).slice(-1)).to.deep.equal(["POST /auth/refresh 400"]);
    });
  });

  describe("afterwards", () => {
    it("had no script error and no CSP violation on any page", () => {
      expect(problems).to.deep.equal([]);
    });
  });
});
