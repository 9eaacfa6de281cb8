/**
 * A browser client for the auth API, the part of the demo a team copies.
 *
 * - The access token lives in this module's memory only: never in localStorage,
 *   sessionStorage or a script-readable cookie, where an injected script could read it.
 * - The refresh token lives only in the HttpOnly `refresh_token` cookie the API sets. Every
 *   request is sent with `credentials: "include"` (needed when the API is on another origin)
 *   and a refresh sends no body, so the API takes the cookie. The copy of the refresh token
 *   in a token response's JSON is ignored.
 * - A signed-in call refused for its token (401, or API Gateway's 403 `{"message":"Forbidden"}`
 *   for an expired or refused token) refreshes once and retries once; when the refresh
 *   fails, the user has to sign in again (SignedOutError).
 * - Two-step sign-in (TOTP, RFC 6238): a sign-in answered `mfa_required` keeps its single-use
 *   `mfa_token` in this module's memory until the code step, and forgets it once used, expired
 *   or abandoned. Authenticator keys and recovery codes are returned to the page, never stored.
 * - Signing out with an expired access token revokes the session through the cookie
 *   (POST /auth/revoke, RFC 7009), so it needs no refresh first.
 * - Calls running at once share one refresh. Two tabs refreshing at once each send the same
 *   cookie: the API answers both with the current token (its grace window), so neither is
 *   signed out.
 */

/** A refusal from the API: the status, its `error` code (or API Gateway's message) and Retry-After. */
export class ApiError extends Error {
  constructor(status, body, retryAfterSeconds) {
    super(body?.error_description ?? body?.message ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = body?.error ?? body?.message;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The session is gone (signed out, ended elsewhere, expired): sign in again. */
export class SignedOutError extends Error {
  constructor() {
    super("your session has ended: sign in again");
    this.name = "SignedOutError";
  }
}

/** The claims of a JWT, read without verifying it: for display only, never for a decision. */
function unverifiedClaims(jwt) {
  try {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
  } catch {
    return {};
  }
}

/** `{code}` or `{password}`, whichever the user gave (the code without the spaces people type). */
function codeOrPassword({ code, password }) {
  const digits = (code ?? "").replace(/\s+/g, "");
  return digits ? { code: digits } : { password };
}

/** How long before its expiry the access token counts as expired (clock skew, time in flight). */
const EXPIRY_MARGIN_MS = 10_000;

/**
 * @param {{ baseUrl?: string, tenant?: string, onExchange?: (exchange: {method: string, path: string, status: number, code?: string}) => void }} options
 */
export function createAuthClient({ baseUrl = "", tenant, onExchange = () => {} } = {}) {
  /** The current access token, in memory only. */
  let accessToken;
  /** When this tab takes the access token to expire (its clock, from `expires_in`). */
  let accessTokenExpiresAt = 0;
  /** The second step of a sign-in: `{ token, expiresAt }`, in memory only, single use. */
  let pendingMfa;
  /** The refresh in flight, shared by every caller in this tab. */
  let refreshing;

  const withTenant = (body) => (tenant ? { ...body, tenant } : body);

  /** One request; resolves with status, parsed body and Retry-After, never throws on HTTP errors. */
  async function send(method, path, { body, token } = {}) {
    const headers = {};
    // JSON only: the API answers anything else with 415 (its login-CSRF defence).
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "include",
        cache: "no-store",
      });
    } catch {
      onExchange({ method, path, status: 0, code: "network error" });
      throw new ApiError(0, { error: "network_error", error_description: "the API could not be reached" });
    }
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // Readable cross-origin only if the API lists it in Access-Control-Expose-Headers.
    const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
    onExchange({ method, path, status: response.status, code: json?.error ?? json?.message });
    return { status: response.status, json, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined };
  }

  /** The body of a 2xx answer, or an ApiError. */
  function expectOk(reply) {
    if (reply.status >= 200 && reply.status < 300) return reply.json;
    throw new ApiError(reply.status, reply.json, reply.retryAfterSeconds);
  }

  /** Keeps the access token of a token response; its refresh_token stays in the cookie only. */
  function takeTokens(reply) {
    const tokens = expectOk(reply);
    accessToken = tokens.access_token;
    accessTokenExpiresAt = Date.now() + Number(tokens.expires_in ?? 0) * 1000;
    return tokens;
  }

  /** A sign-in answer: tokens, or `mfa_required` with the token of the code step. */
  function takeSignIn(reply) {
    const body = expectOk(reply);
    if (body?.mfa_required === true) {
      pendingMfa = { token: body.mfa_token, expiresAt: Date.now() + Number(body.mfa_token_expires_in ?? 300) * 1000 };
      return { mfaRequired: true };
    }
    takeTokens(reply);
    return { mfaRequired: false };
  }

  const liveAccessToken = () => accessToken !== undefined && Date.now() < accessTokenExpiresAt - EXPIRY_MARGIN_MS;

  /**
   * A new access token through the cookie; true when signed in. Only a refusal of the
   * session signs out: a 429, a 503 or a network error is thrown, the session may still be fine.
   */
  function refresh() {
    refreshing ??= (async () => {
      const reply = await send("POST", "/auth/refresh");
      if (reply.status === 200) {
        takeTokens(reply);
        return true;
      }
      if (reply.status === 429 || reply.status >= 500) throw new ApiError(reply.status, reply.json, reply.retryAfterSeconds);
      accessToken = undefined;
      return false;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  /**
   * The access token was refused: API Gateway's 401 (none) or 403 (refused), or a route's 401
   * `invalid_token` (session ended). A 401 `invalid_grant` refuses a credential in the body
   * (a wrong password or code): a refresh would not help, and a retry would count as another failure.
   */
  const refusedToken = (reply) =>
    (reply.status === 401 && reply.json?.error !== "invalid_grant") || (reply.status === 403 && reply.json?.message === "Forbidden");

  /** A call with the access token: on a refused token, one refresh and one retry. */
  async function authorized(method, path, body) {
    if (!accessToken && !(await refresh())) throw new SignedOutError();
    const used = accessToken;
    let reply = await send(method, path, { body, token: used });
    if (refusedToken(reply)) {
      // Another call may have refreshed meanwhile: then just retry with its token.
      if (accessToken === used && !(await refresh())) throw new SignedOutError();
      reply = await send(method, path, { body, token: accessToken });
      if (refusedToken(reply)) {
        accessToken = undefined;
        throw new SignedOutError();
      }
    }
    return expectOk(reply);
  }

  return {
    get signedIn() {
      return accessToken !== undefined;
    },
    /** On page load: signed in again through the cookie, if the browser holds a live one. */
    restore: () => refresh(),
    register: async (email, password) => expectOk(await send("POST", "/auth/register", { body: withTenant({ email, password }) })),
    /** Resolves `{ mfaRequired }`: true when the account asks for a code next (secondStep). */
    signIn: async (email, password) => takeSignIn(await send("POST", "/auth/login", { body: withTenant({ email, password }) })),
    /**
     * The second step of a sign-in: `{code}` from the authenticator app or `{recoveryCode}`.
     * Its `mfa_token` is forgotten once it signs in; a refused code keeps it for another try
     * while it lasts (the API answers 401 invalid_grant when it is used or expired).
     */
    async secondStep({ code, recoveryCode }) {
      if (!pendingMfa || Date.now() >= pendingMfa.expiresAt) {
        pendingMfa = undefined;
        throw new ApiError(401, { error: "mfa_expired", error_description: "the sign-in step has expired: sign in again" });
      }
      const proof = recoveryCode !== undefined ? { recovery_code: recoveryCode.trim() } : { code: code.replace(/\s+/g, "") };
      takeTokens(await send("POST", "/auth/mfa/verify", { body: { mfa_token: pendingMfa.token, ...proof } }));
      pendingMfa = undefined;
    },
    /** Abandons a sign-in waiting for its code. */
    cancelSecondStep() {
      pendingMfa = undefined;
    },
    /** How this session signed in (the access token's `amr`, RFC 8176), for display. */
    get signInMethods() {
      return accessToken ? (unverifiedClaims(accessToken).amr ?? []) : [];
    },
    /** Starts (or restarts) enrolment: `{secret, otpauth_uri, qr_svg}`. */
    startTotpEnrolment: () => authorized("POST", "/auth/mfa/totp"),
    /** Confirms enrolment with a current code; resolves the ten recovery codes. */
    confirmTotp: async (code) => (await authorized("POST", "/auth/mfa/totp/confirm", { code: code.replace(/\s+/g, "") })).recovery_codes,
    /** Turns MFA off with `{code}` or `{password}`. */
    disableTotp: async (proof) => void (await authorized("DELETE", "/auth/mfa/totp", codeOrPassword(proof))),
    /** New recovery codes (the old ones stop working) with `{code}` or `{password}`. */
    regenerateRecoveryCodes: async (proof) => (await authorized("POST", "/auth/mfa/recovery-codes", codeOrPassword(proof))).recovery_codes,
    verifyEmail: async (token) => void expectOk(await send("POST", "/auth/verify-email", { body: { token } })),
    resendVerification: async (email) => void expectOk(await send("POST", "/auth/verify-email/resend", { body: withTenant({ email }) })),
    forgotPassword: async (email) => void expectOk(await send("POST", "/auth/password/forgot", { body: withTenant({ email }) })),
    async resetPassword(token, newPassword) {
      expectOk(await send("POST", "/auth/password/reset", { body: { token, new_password: newPassword } }));
      // Every session of the account ended, this browser's too.
      accessToken = undefined;
    },
    profile: () => authorized("GET", "/me"),
    sessions: async () => (await authorized("GET", "/auth/sessions")).sessions,
    endSession: (sid) => authorized("DELETE", `/auth/sessions/${encodeURIComponent(sid)}`),
    changePassword: (currentPassword, newPassword) =>
      authorized("POST", "/auth/password", { current_password: currentPassword, new_password: newPassword }),
    /** scope: "local" (this session), "others" (keeps this one) or "global". */
    async signOut(scope = "local") {
      try {
        if (scope === "local" && !liveAccessToken()) {
          // No live access token: revoke the refresh token the cookie carries (RFC 7009 §2),
          // rather than refreshing only to sign out. A server without the route, or a refusal,
          // falls back to the logout below.
          const revoked = await send("POST", "/auth/revoke");
          if (revoked.status === 200) return;
        }
        await authorized("POST", "/auth/logout", { scope });
      } finally {
        // Signed out here even if the API could not be told: the cookie is cleared by its 204.
        if (scope !== "others") {
          accessToken = undefined;
          accessTokenExpiresAt = 0;
        }
      }
    },
    async deleteAccount(password) {
      await authorized("DELETE", "/me", { password });
      accessToken = undefined;
    },
  };
}
