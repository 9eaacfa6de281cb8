/**
 * The demo's two-step sign-in (TOTP, RFC 6238): the code step of a sign-in, and on the account
 * page enrolment (the QR code and the key to type), the recovery codes shown once, new codes
 * and turning it off. The key and the codes stay on the page only while needed (NIST SP 800-63B
 * §5.1.2.1 asks that recovery codes be shown once), never in storage.
 */
import { byId, el, field, replaceChildren, setText } from "./dom.js";

/** The only image the enrolment may show: an SVG data URI (the page's CSP allows `img-src data:`). */
const QR_PREFIX = "data:image/svg+xml;base64,";
/** The only link it may offer: an authenticator app's own scheme. */
const OTPAUTH_PREFIX = "otpauth://totp/";

/** How an `amr` value (RFC 8176 §2) reads on the account page. */
const METHOD_NAMES = { pwd: "password", otp: "one-time code", mfa: "two factors" };

/** The sign-in step's refusals, worded for it (the page's defaults speak of email and password). */
const CODE_MESSAGES = {
  invalid_grant: "That code did not work: check it and try again, or sign in again if this step took too long.",
  mfa_expired: "The sign-in step took too long: sign in with your password again.",
};
/** The account page's refusals of a code or a password. */
const PROOF_MESSAGES = { invalid_grant: "That code or password is not right." };

/**
 * Wires the MFA parts of the page; returns what the rest of the page calls.
 * @param {{ client: ReturnType<import("./api.js").createAuthClient>, onSubmit: Function, onClick: Function, showView: (name: string) => void, showAccount: () => Promise<void> }} page
 */
export function wireMfa({ client, onSubmit, onClick, showView, showAccount }) {
  const verifyForm = byId("mfa-verify-form");

  /** Shows the app-code field or the recovery-code field of the code step; the other is disabled. */
  function useRecoveryCode(yes) {
    byId("mfa-code-field").hidden = yes;
    byId("mfa-recovery-field").hidden = !yes;
    verifyForm.elements.namedItem("code").disabled = yes;
    verifyForm.elements.namedItem("recovery_code").disabled = !yes;
    setText(byId("mfa-switch-button"), yes ? "Use a code from the app instead" : "Use a recovery code instead");
    verifyForm.elements.namedItem(yes ? "recovery_code" : "code").focus();
  }

  /** The sign-in's second step, on its own page. */
  function askForCode() {
    verifyForm.reset();
    showView("mfa");
    useRecoveryCode(false);
  }

  onSubmit(
    "mfa-verify-form",
    async (form) => {
      const recovery = !byId("mfa-recovery-field").hidden;
      try {
        await client.secondStep(recovery ? { recoveryCode: field(form, "recovery_code") } : { code: field(form, "code") });
      } catch (error) {
        if (error?.code === "mfa_expired") showView("signed-out");
        throw error;
      }
      form.reset();
      await showAccount();
      return recovery ? "Signed in with a recovery code: it cannot be used again." : "Signed in.";
    },
    CODE_MESSAGES,
  );

  onClick("mfa-switch-button", async () => useRecoveryCode(byId("mfa-recovery-field").hidden));

  onClick("mfa-cancel-button", async () => {
    client.cancelSecondStep();
    verifyForm.reset();
    showView("signed-out");
  });

  /** The account page's MFA part for `/me`'s `mfa_enabled` (undefined: an API without MFA). */
  function showStatus(enabled) {
    const status = byId("mfa-status");
    setText(status, enabled === true ? "on" : enabled === false ? "off" : "not offered by this API");
    status.dataset.enabled = String(enabled ?? "");
    byId("mfa-on").hidden = enabled !== true;
    byId("mfa-off").hidden = enabled !== false || !byId("mfa-enrol").hidden;
  }

  /** How this session signed in, from its access token's `amr`. */
  function showSignInMethods() {
    const methods = client.signInMethods.map((method) => METHOD_NAMES[method] ?? method);
    setText(byId("profile-amr"), methods.length ? methods.join(" + ") : "not stated");
    byId("profile-amr").dataset.amr = client.signInMethods.join(" ");
  }

  function hideEnrolment() {
    byId("mfa-enrol").hidden = true;
    byId("mfa-qr").removeAttribute("src");
    byId("mfa-uri").setAttribute("href", "#");
    setText(byId("mfa-secret"), "");
    byId("mfa-confirm-form").reset();
  }

  function showRecoveryCodes(codes) {
    replaceChildren(byId("mfa-recovery-codes"), ...codes.map((code) => el("li", { class: "recovery-code" }, code)));
    byId("mfa-recovery").hidden = false;
  }

  function hideRecoveryCodes() {
    replaceChildren(byId("mfa-recovery-codes"));
    byId("mfa-recovery").hidden = true;
  }

  onClick("mfa-enrol-button", async () => {
    const { secret, otpauth_uri: uri, qr_svg: qr } = await client.startTotpEnrolment();
    // Only a data URI of an SVG becomes the image, only an otpauth: URI the link: nothing the API
    // sends can turn into script or a navigation elsewhere (OWASP ASVS 5.3.3).
    if (typeof qr === "string" && qr.startsWith(QR_PREFIX)) byId("mfa-qr").setAttribute("src", qr);
    if (typeof uri === "string" && uri.startsWith(OTPAUTH_PREFIX)) byId("mfa-uri").setAttribute("href", uri);
    // In groups of four, as authenticator apps show it; they ignore the spaces.
    setText(byId("mfa-secret"), String(secret).replace(/(.{4})(?=.)/g, "$1 "));
    byId("mfa-off").hidden = true;
    byId("mfa-enrol").hidden = false;
    byId("mfa-confirm-form").elements.namedItem("code").focus();
    return "Scan the QR code, then enter the code the app shows.";
  });

  onClick("mfa-enrol-cancel-button", async () => {
    hideEnrolment();
    byId("mfa-off").hidden = false;
  });

  onSubmit(
    "mfa-confirm-form",
    async (form) => {
      const codes = await client.confirmTotp(field(form, "code"));
      hideEnrolment();
      showStatus(true);
      showRecoveryCodes(codes);
      return "Two-step sign-in is on. Save your recovery codes now.";
    },
    { invalid_grant: "That code did not work: enter the code the app shows now." },
  );

  onClick("mfa-copy-button", async () => {
    const codes = [...byId("mfa-recovery-codes").children].map((item) => item.textContent);
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
    } catch {
      return "This browser did not let the page copy: select the codes and copy them yourself.";
    }
    return "The recovery codes are copied.";
  });

  onClick("mfa-recovery-done-button", async () => hideRecoveryCodes());

  /** `{code}` or `{password}` from a form; undefined when both are empty. */
  function proofFrom(form) {
    const code = field(form, "code");
    const password = field(form, "password");
    if (!code && !password) return undefined;
    return code ? { code } : { password };
  }

  onSubmit(
    "mfa-regenerate-form",
    async (form) => {
      const proof = proofFrom(form);
      if (!proof) return "Enter a code from the app or your password.";
      const codes = await client.regenerateRecoveryCodes(proof);
      form.reset();
      showRecoveryCodes(codes);
      return "New recovery codes: the old ones no longer work. Save these now.";
    },
    PROOF_MESSAGES,
  );

  onSubmit(
    "mfa-disable-form",
    async (form) => {
      const proof = proofFrom(form);
      if (!proof) return "Enter a code from the app or your password.";
      await client.disableTotp(proof);
      form.reset();
      hideRecoveryCodes();
      showStatus(false);
      return "Two-step sign-in is off.";
    },
    PROOF_MESSAGES,
  );

  return {
    askForCode,
    showStatus,
    showSignInMethods,
    /** Leaves nothing of an enrolment or of the recovery codes on the page (signed out). */
    forget() {
      hideEnrolment();
      hideRecoveryCodes();
    },
  };
}
