/**
 * The demo's page: wires the forms and buttons to the API client and shows what each
 * answer means for the user (what to do on 401, 403, 429). See api.js for the token rules.
 */
import { ApiError, SignedOutError, createAuthClient } from "./api.js";
import { byId, el, field, replaceChildren, setText } from "./dom.js";
import { wireMfa } from "./mfa.js";

const MAX_EXCHANGES = 40;

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content")?.trim() ?? "";
const apiBase = meta("auth-api").replace(/\/+$/, "");
const client = createAuthClient({ baseUrl: apiBase, tenant: meta("auth-tenant") || undefined, onExchange: showExchange });

const VIEWS = ["signed-out", "mfa", "verify", "reset", "signed-in"];
const STATE_NAMES = { "signed-out": "signed out", mfa: "second step", verify: "verifying", reset: "resetting", "signed-in": "signed in" };
/** The single-use token of a mail link, moved out of the address bar into memory. */
let linkToken;
/** The email of the last sign-in refused as unverified, for "send the link again". */
let unverifiedEmail;

function showView(name) {
  for (const view of VIEWS) byId(`view-${view}`).hidden = view !== name;
  setText(byId("state"), STATE_NAMES[name]);
  byId("state").dataset.state = name;
  // An authenticator key or recovery codes never outlive the signed-in page.
  if (name !== "signed-in") mfa.forget();
}

/** A message for the user; `alert` for problems, so assistive technology reads it at once. */
function notice(text, kind = "info") {
  const node = byId("notice");
  setText(node, text);
  node.hidden = !text;
  node.className = kind;
  node.setAttribute("role", kind === "error" ? "alert" : "status");
}

/** What an error means for the user, and what to do about it; `messages` words some codes for the action at hand. */
function explain(error, messages = {}) {
  if (error instanceof SignedOutError) return "Your session has ended: sign in again.";
  if (!(error instanceof ApiError)) return `Something went wrong: ${error.message}`;
  if (messages[error.code]) return messages[error.code];
  const wait = error.retryAfterSeconds !== undefined ? `in ${error.retryAfterSeconds} s` : "later";
  switch (error.code) {
    case "too_many_attempts":
      return `Too many attempts: try again ${wait}.`;
    case "temporarily_unavailable":
      return `The service is unavailable: try again ${wait}.`;
    case "email_not_verified":
      return "Verify your email first: open the link we mailed you, or ask for a new one below.";
    case "invalid_grant":
      return "Wrong email or password.";
    default:
      return error.message;
  }
}

/**
 * Runs one user action with its button disabled, and shows its outcome. A 429 or 503 keeps
 * the button disabled for Retry-After seconds; a lost session leads back to sign-in.
 */
async function act(button, action, messages) {
  button.disabled = true;
  let holdFor = 0;
  try {
    const message = await action();
    if (message) notice(message);
  } catch (error) {
    notice(explain(error, messages), "error");
    if (error instanceof SignedOutError) showView("signed-out");
    if (error instanceof ApiError && (error.status === 429 || error.status === 503)) holdFor = error.retryAfterSeconds ?? 0;
    if (!(error instanceof ApiError || error instanceof SignedOutError)) console.error(error);
  } finally {
    if (holdFor > 0) setTimeout(() => (button.disabled = false), holdFor * 1000);
    else button.disabled = false;
  }
}

/** Submitting a form runs `action(form)` instead of a native submission (which the CSP forbids anyway). */
function onSubmit(id, action, messages) {
  const form = byId(id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void act(form.querySelector('button[type="submit"]'), () => action(form), messages);
  });
}

function onClick(id, action, messages) {
  const button = byId(id);
  button.addEventListener("click", () => void act(button, action, messages));
}

function showExchange({ method, path, status, code }) {
  const list = byId("exchanges");
  const outcome = code ? `${status} ${code}` : String(status);
  list.prepend(el("li", { class: status >= 400 || status === 0 ? "failed" : "ok" }, `${method} ${path} → ${outcome}`));
  while (list.children.length > MAX_EXCHANGES) list.lastElementChild.remove();
}

const mfa = wireMfa({ client, onSubmit, onClick, showView, showAccount });

/** Loads the profile and the sessions (both in one go: they share one refresh if needed). */
async function showAccount() {
  const [profile, sessions] = await Promise.all([client.profile(), client.sessions()]);
  setText(byId("profile-email"), profile.email);
  setText(byId("profile-user-id"), profile.user_id);
  setText(byId("profile-tenant"), profile.tenant);
  setText(byId("profile-created"), profile.created_at);
  mfa.showSignInMethods();
  mfa.showStatus(profile.mfa_enabled);
  renderSessions(sessions);
  showView("signed-in");
}

async function reloadSessions() {
  renderSessions(await client.sessions());
}

function renderSessions(sessions) {
  const items = sessions.map((session) => {
    const end = el("button", { type: "button", class: "end-session", "data-sid": session.sid }, "End");
    end.addEventListener("click", () =>
      void act(end, async () => {
        await client.endSession(session.sid);
        await reloadSessions();
        return "That session has ended.";
      }),
    );
    return el(
      "li",
      { class: session.current ? "session current" : "session", "data-sid": session.sid },
      el("span", { class: "agent" }, session.user_agent || "unknown browser"),
      el("span", { class: "detail" }, ` from ${session.source_ip ?? "?"}, signed in ${session.created_at}, last used ${session.last_used_at ?? "never"}`),
      session.current ? el("strong", {}, " this browser") : end,
    );
  });
  replaceChildren(byId("sessions"), ...items);
}

/** Back to the app's own first page, without the link's token in the address bar or history. */
function leaveLinkPage() {
  history.replaceState(null, "", new URL(".", location.href));
}

onSubmit("sign-in-form", async (form) => {
  const email = field(form, "email");
  byId("unverified").hidden = true;
  let signedIn;
  try {
    signedIn = await client.signIn(email, field(form, "password"));
  } catch (error) {
    if (error instanceof ApiError && error.code === "email_not_verified") {
      unverifiedEmail = email;
      byId("unverified").hidden = false;
    }
    throw error;
  }
  form.reset();
  if (signedIn.mfaRequired) {
    mfa.askForCode();
    return "Enter the code from your authenticator app.";
  }
  await showAccount();
  return "Signed in.";
});

onClick("resend-button", async () => {
  await client.resendVerification(unverifiedEmail);
  return "If the address still needs verifying, a new link is on its way.";
});

onSubmit("sign-up-form", async (form) => {
  const email = field(form, "email");
  const created = await client.register(email, field(form, "password"));
  form.reset();
  // 202 where verification is required (the same for a new and a taken address), else 201.
  return created?.user_id ? `Account created for ${email}: sign in.` : `Check the mail of ${email} for a link to verify it, then sign in.`;
});

onSubmit("forgot-form", async (form) => {
  await client.forgotPassword(field(form, "email"));
  form.reset();
  return "If an account has that address, a reset link is on its way.";
});

onClick("verify-button", async () => {
  await client.verifyEmail(linkToken);
  linkToken = undefined;
  showView("signed-out");
  return "Email verified: sign in.";
});

onSubmit("reset-form", async (form) => {
  await client.resetPassword(linkToken, field(form, "new_password"));
  linkToken = undefined;
  form.reset();
  showView("signed-out");
  return "Password changed, and every session has ended: sign in with the new password.";
});

onClick("sessions-button", async () => {
  await reloadSessions();
});

onSubmit("password-form", async (form) => {
  await client.changePassword(field(form, "current_password"), field(form, "new_password"));
  form.reset();
  await reloadSessions();
  return "Password changed. Your other sessions have ended; this one continues.";
}, { invalid_grant: "The current password is not right." });

for (const [id, scope, message] of [
  ["sign-out-button", "local", "Signed out."],
  ["sign-out-others-button", "others", "Your other sessions have ended."],
  ["sign-out-everywhere-button", "global", "Signed out everywhere."],
]) {
  onClick(id, async () => {
    await client.signOut(scope);
    if (scope === "others") await reloadSessions();
    else showView("signed-out");
    return message;
  });
}

onSubmit("delete-form", async (form) => {
  await client.deleteAccount(field(form, "password"));
  form.reset();
  showView("signed-out");
  return "Your account is deleted.";
}, { invalid_grant: "The password is not right." });

/** Which page the browser opened: a mail link's page, or the app (signed in again through the cookie if it can). */
async function start() {
  setText(byId("api-base"), apiBase || location.origin);
  const page = location.pathname.split("/").pop();
  const token = new URLSearchParams(location.search).get("token");
  if (token && (page === "verify-email" || page === "reset-password")) {
    linkToken = token;
    leaveLinkPage();
    showView(page === "verify-email" ? "verify" : "reset");
    return;
  }
  try {
    if (await client.restore()) {
      await showAccount();
      return;
    }
  } catch (error) {
    notice(explain(error), "error");
  }
  showView("signed-out");
}

void start();
