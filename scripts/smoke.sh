#!/usr/bin/env bash
# Smoke test of the auth API against any base URL: the local runtime or a deployed stage.
#   scripts/smoke.sh http://127.0.0.1:3000
#   SMOKE_MAIL_URL=http://127.0.0.1:43851/store scripts/smoke.sh http://127.0.0.1:3000
#   scripts/smoke.sh https://abc123.execute-api.eu-west-1.amazonaws.com
# Walks register -> email verification -> forgotten password and reset -> login -> /me -> refresh
# (rotation, grace, reuse) -> logout -> sessions (list, end one, sign out everywhere) -> password
# change -> OAuth token endpoint and revocation -> account deletion (cleanup) -> JWKS -> discovery,
# and stops at the first failure with a readable message. Needs curl and node.
#
# Register's answer tells whether the stage requires email verification (201: no, 202: yes).
# SMOKE_MAIL_URL, the local mail API (`npm start` prints it: ".../store (JSON)"), lets the script
# read the verification and reset links. Without it, what needs a link is skipped and listed at
# the end; where verification is required that is everything after sign-up, so the account it
# created stays (it cannot sign in to delete it) and the script says so.
# It registers success+smoke-...@simulator.amazonses.com: SES's mailbox simulator accepts mail
# even in the SES sandbox and it costs no sending reputation. It sends 3 mails to that account,
# the default account_emails_per_window.
set -euo pipefail

BASE=${1:?usage: [SMOKE_MAIL_URL=<local mail API>] scripts/smoke.sh BASE_URL}
BASE=${BASE%/}
MAIL_URL=${SMOKE_MAIL_URL:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RUN="$(date +%s)-$RANDOM"
EMAIL="success+smoke-$RUN@simulator.amazonses.com"
# Never registered: resend and forgot must answer it exactly as they answer a real account.
NOBODY="success+smoke-nobody-$RUN@simulator.amazonses.com"
PASSWORD="smoke-Password-$RANDOM-$RANDOM"
STEP=""
SKIPPED=""

fail() { echo "FAIL [$STEP]: $*" >&2; exit 1; }
ok() { echo "ok   [$STEP] $*"; }
skip() { echo "skip [$STEP] $*"; SKIPPED="$SKIPPED  [$STEP] $*"$'\n'; }

# request METHOD PATH [BODY] [extra curl args...]: sets STATUS, body in $WORK/body, headers in $WORK/headers
request() {
  local method=$1 path=$2 body=${3:-}
  shift 3 || shift $#
  local args=(-sS --max-time 30 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" "$BASE$path")
  [ -n "$body" ] && args+=(-H 'content-type: application/json' --data-binary "$body")
  STATUS=$(curl "${args[@]}" "$@") || fail "curl could not reach $BASE$path"
}

# field NAME: prints a top-level field of the last JSON body
field() { node -e 'const b=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=b[process.argv[2]];process.stdout.write(v===undefined?"":typeof v==="string"?v:JSON.stringify(v))' "$WORK/body" "$1" 2>/dev/null || true; }

# claim TOKEN NAME: prints a claim of an access token (no verification: step "jwks" does that)
claim() { node -e 'const v=JSON.parse(Buffer.from(process.argv[1].split(".")[1],"base64url"))[process.argv[2]];process.stdout.write(v===undefined?"":String(v))' "$1" "$2"; }

# shown_body: the start of the last body for a failure message, tokens redacted (CI logs are widely readable)
shown_body() { sed -E 's/"(access_token|refresh_token|mfa_token)":"[^"]*"/"\1":"<redacted>"/g' "$WORK/body" | head -c 300; }

expect_status() {
  [ "$STATUS" = "$1" ] && return 0
  local hint=""
  [ "$STATUS" = 429 ] && hint=" (a per-address or per-account limit, e.g. source_signups_per_window or account_emails_per_window: this script needs 3 mails per account and window; or API Gateway throttling)"
  fail "expected HTTP $1, got $STATUS: $(shown_body)$hint"
}
expect_error() { expect_status "$1"; [ "$(field error)" = "$2" ] || fail "expected error $2, got: $(shown_body)"; }
# expect_accepted ADDRESS: the 202 {"email": ADDRESS} that register (verification on), resend and forgot give
expect_accepted() { expect_status 202; [ "$(cat "$WORK/body")" = "{\"email\":\"$1\"}" ] || fail "expected {\"email\":\"$1\"}, got: $(shown_body)"; }

# mail SUBJECT [PAGE]: waits (up to 5 s) for the newest mail to $EMAIL with this subject in the
# mailbox at $MAIL_URL; with PAGE, sets TOKEN to the token of its <app_url>/PAGE?token=... link.
mail() {
  local subject=$1 page=${2:-} found="" i
  for i in $(seq 1 50); do
    curl -sS --max-time 5 -o "$WORK/mail" "$MAIL_URL" || fail "could not read the mailbox at $MAIL_URL (SMOKE_MAIL_URL)"
    found=$(node -e '
const [file, to, subject, page] = process.argv.slice(1);
const { emails } = JSON.parse(require("fs").readFileSync(file, "utf8"));
const mail = emails.filter((m) => m.destination.to.includes(to) && m.subject === subject).pop();
if (!mail) process.exit(0);
if (!page) { process.stdout.write("found"); process.exit(0); }
const link = new RegExp("/" + page + "\\?token=([^\\s\"<&]+)").exec(mail.body.text ?? "");
if (!link) { console.error("no /" + page + " link in the mail \"" + subject + "\""); process.exit(1); }
process.stdout.write(decodeURIComponent(link[1]));
' "$WORK/mail" "$EMAIL" "$subject" "$page") || fail "the mailbox at $MAIL_URL is not the local mail API's JSON ({emails:[...]}) or the mail has no link"
    if [ -n "$found" ]; then
      if [ -n "$page" ]; then TOKEN=$found; fi
      return 0
    fi
    sleep 0.1
  done
  fail "no mail \"$subject\" to $EMAIL in $MAIL_URL within 5 s"
}

# check_discovery [ACCESS_TOKEN]: the discovery document (OpenID Connect Discovery, RFC 8414) at both
# well-known paths: one document, the endpoints under its issuer, which equals the token's iss.
check_discovery() {
  request GET /.well-known/openid-configuration ""
  expect_status 200
  cp "$WORK/body" "$WORK/discovery"
  request GET /.well-known/oauth-authorization-server ""
  expect_status 200
  cmp -s "$WORK/body" "$WORK/discovery" || fail "the two well-known paths serve different documents"
  node -e '
const [file, token] = process.argv.slice(1);
const doc = JSON.parse(require("fs").readFileSync(file, "utf8"));
const problems = [];
if (typeof doc.issuer !== "string" || !doc.issuer) problems.push("no issuer");
const iss = token ? JSON.parse(Buffer.from(token.split(".")[1], "base64url")).iss : undefined;
if (token && doc.issuer !== iss) problems.push("issuer " + doc.issuer + " is not the tokens iss " + iss);
const base = String(doc.issuer).replace(/\/+$/, "");
const want = { jwks_uri: "/.well-known/jwks.json", token_endpoint: "/oauth/token", revocation_endpoint: "/oauth/revoke" };
for (const [field, path] of Object.entries(want)) if (doc[field] !== base + path) problems.push(field + " " + doc[field] + " is not " + base + path);
if (!doc.grant_types_supported?.includes("refresh_token")) problems.push("refresh_token grant not listed");
if (!doc.token_endpoint_auth_methods_supported?.includes("none")) problems.push("auth method none not listed");
if (!doc.id_token_signing_alg_values_supported?.length) problems.push("no signing algorithm listed");
if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
process.stdout.write(doc.issuer);
' "$WORK/discovery" "${1:-}" > "$WORK/issuer" || fail "discovery document: $(head -c 300 "$WORK/discovery")"
}

# Browsers send Origin; the refresh cookie is accepted only from an allowed origin or the API's own.
ORIGIN=$(node -p 'new URL(process.argv[1]).origin' "$BASE")
if [ -n "$MAIL_URL" ]; then
  curl -sS --max-time 5 -o /dev/null "$MAIL_URL" || { STEP="0 mailbox"; fail "SMOKE_MAIL_URL=$MAIL_URL cannot be read"; }
  echo "reading mail from $MAIL_URL"
fi

STEP="1 register"
request POST /auth/register "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
case $STATUS in
  201)
    VERIFICATION=optional
    USER_ID=$(field user_id)
    [ -n "$USER_ID" ] || fail "no user_id in $(cat "$WORK/body")"
    [ "$(field email)" = "$EMAIL" ] || fail "email not echoed"
    ok "201 user_id=$USER_ID: this stage does not require email verification"
    request POST /auth/register "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
    expect_error 409 user_exists
    ok "same email again -> 409 user_exists"
    ;;
  202)
    VERIFICATION=required
    USER_ID=""
    expect_accepted "$EMAIL"
    ok "202 {\"email\":...}: this stage requires email verification"
    request POST /auth/register "{\"email\":\"$EMAIL\",\"password\":\"other-$PASSWORD\"}"
    expect_accepted "$EMAIL"
    ok "same email again -> the same 202 (register tells nobody which emails exist)"
    if [ -n "$MAIL_URL" ]; then
      mail "Someone tried to sign up with your email address"
      ok "the owner got \"Someone tried to sign up with your email address\""
    fi
    ;;
  *) expect_status "201 or 202" ;;
esac

STEP="2 email verification"
request POST /auth/verify-email '{}'
expect_error 400 invalid_request
request POST /auth/verify-email '{"token":"ev1.00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'
expect_error 401 invalid_grant
ok "no token -> 400 invalid_request; a made-up token -> 401 invalid_grant"
request POST /auth/verify-email/resend "{\"email\":\"$NOBODY\"}"
expect_accepted "$NOBODY"
ok "resend for an email nobody registered -> 202"
VERIFIED=false
if [ "$VERIFICATION" = required ]; then
  request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"wrong-$PASSWORD\"}"
  expect_error 401 invalid_grant
  request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
  expect_error 403 email_not_verified
  [ -z "$(field access_token)$(field refresh_token)" ] || fail "an unverified login got tokens"
  grep -qi '^set-cookie:' "$WORK/headers" && fail "an unverified login set a cookie"
  ok "unverified: wrong password -> 401, right password -> 403 email_not_verified, no tokens"
  if [ -n "$MAIL_URL" ]; then
    mail "Verify your email address" verify-email
    request POST /auth/verify-email "{\"token\":\"$TOKEN\"}"
    expect_status 204
    request POST /auth/verify-email "{\"token\":\"$TOKEN\"}"
    expect_error 401 invalid_grant
    VERIFIED=true
    ok "the emailed link verifies: 204, and works once (again -> 401 invalid_grant)"
  else
    request POST /auth/verify-email/resend "{\"email\":\"$EMAIL\"}"
    expect_accepted "$EMAIL"
    ok "resend for the new account -> 202"
    skip "verifying the email through its link (no mailbox)"
  fi
elif [ -n "$MAIL_URL" ]; then
  # Verification optional: the link is sent anyway, and a refresh then signs email_verified true.
  request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
  expect_status 200
  [ "$(claim "$(field access_token)" email_verified)" = false ] || fail "access token of an unverified account says email_verified $(claim "$(field access_token)" email_verified)"
  UNVERIFIED_REFRESH=$(field refresh_token)
  mail "Verify your email address" verify-email
  request POST /auth/verify-email "{\"token\":\"$TOKEN\"}"
  expect_status 204
  request POST /auth/refresh "{\"refresh_token\":\"$UNVERIFIED_REFRESH\"}"
  expect_status 200
  [ "$(claim "$(field access_token)" email_verified)" = true ] || fail "after verification, refresh signed email_verified $(claim "$(field access_token)" email_verified)"
  VERIFIED=true
  ok "signed in unverified (email_verified false), verified through the emailed link (204), refresh -> email_verified true"
else
  skip "verifying the email through its link (no mailbox)"
fi

STEP="3 password reset"
request POST /auth/password/forgot "{\"email\":\"$NOBODY\"}"
expect_accepted "$NOBODY"
ok "forgot for an email nobody registered -> 202"
request POST /auth/password/reset '{"token":"pr1.00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","new_password":"a fine new passphrase"}'
expect_error 401 invalid_grant
ok "reset with a made-up token -> 401 invalid_grant"
if [ -n "$MAIL_URL" ]; then
  request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
  expect_status 200
  OLD_REFRESH=$(field refresh_token)
  request POST /auth/password/forgot "{\"email\":\"$EMAIL\"}"
  expect_accepted "$EMAIL"
  mail "Reset your password" reset-password
  NEW_PASSWORD="$PASSWORD-reset"
  request POST /auth/password/reset "{\"token\":\"$TOKEN\",\"new_password\":\"short\"}"
  expect_error 400 invalid_request
  request POST /auth/password/reset "{\"token\":\"$TOKEN\",\"new_password\":\"$NEW_PASSWORD\"}"
  expect_status 204
  ok "forgot -> 202 and a mailed link; a too short new password -> 400, then the same link -> 204"
  request POST /auth/password/reset "{\"token\":\"$TOKEN\",\"new_password\":\"$NEW_PASSWORD-again\"}"
  expect_error 401 invalid_grant
  mail "Your password was changed"
  ok "the link works once (again -> 401); the owner got \"Your password was changed\""
  request POST /auth/refresh "{\"refresh_token\":\"$OLD_REFRESH\"}"
  expect_error 401 invalid_grant
  request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
  expect_error 401 invalid_grant
  PASSWORD=$NEW_PASSWORD
  request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
  expect_status 200
  VERIFIED=true
  ok "every session ended (old refresh token -> 401), old password -> 401, new password signs in"
else
  # Not asked for the account itself: with the resend above that would be its 4th mail this window.
  skip "resetting the password through the emailed link (no mailbox)"
fi

if [ "$VERIFICATION" = required ] && [ "$VERIFIED" = false ]; then
  STEP="4-11"
  skip "login, /me, refresh, logout, sessions, password change and account deletion: an unverified account cannot sign in"
  STEP="12 jwks"
  request GET /.well-known/jwks.json ""
  expect_status 200
  node -e '
const { keys } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (!keys.length || keys.some((k) => k.kty !== "EC" || k.crv !== "P-256" || k.alg !== "ES256" || !k.kid)) throw new Error(JSON.stringify(keys));
' "$WORK/body" || fail "JWKS: $(shown_body)"
  ok "200 ES256 keys (no access token to verify against them)"
  STEP="13 discovery"
  check_discovery
  ok "one document at both well-known paths, endpoints under the issuer $(cat "$WORK/issuer") (no token to compare its iss with)"
  echo "skipped for want of a mailbox (set SMOKE_MAIL_URL to the local mail API's /store URL to run them):"
  printf '%s' "$SKIPPED"
  echo "left behind: the unverified account $EMAIL in the default tenant. The script deletes only an account it can sign in to, and this one cannot sign in before its email is verified. It has no session; its verification link expires (email_verification_ttl_seconds); its user item USER#<tenant>#$EMAIL stays until deleted by hand."
  echo "smoke test passed against $BASE (partial: the steps above were skipped)"
  exit 0
fi

STEP="4 login"
request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"wrong-$PASSWORD\"}"
expect_error 401 invalid_grant
WRONG_PASSWORD=$(cat "$WORK/body")
request POST /auth/login "{\"email\":\"nobody-$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_error 401 invalid_grant
[ "$(cat "$WORK/body")" = "$WRONG_PASSWORD" ] || fail "unknown email and wrong password answer differently"
ok "wrong password and unknown email -> the same 401 invalid_grant"
request POST /auth/login "" -H 'content-type: text/plain' --data-binary "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_error 415 invalid_request
grep -qi '^set-cookie:' "$WORK/headers" && fail "a text/plain login set a cookie"
ok "text/plain body (a cross-site form) -> 415, no cookie"
request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_status 200
ACCESS=$(field access_token)
REFRESH=$(field refresh_token)
[ "$(field token_type)" = "Bearer" ] || fail "token_type is not Bearer"
[ -n "$ACCESS" ] && [ -n "$REFRESH" ] && [ -n "$(field expires_in)" ] || fail "token response incomplete: $(cat "$WORK/body")"
grep -qi '^set-cookie: refresh_token=.*HttpOnly' "$WORK/headers" || fail "no HttpOnly refresh cookie"
grep -qi '^cache-control: no-store' "$WORK/headers" || fail "token response is cacheable"
[ "$(claim "$ACCESS" email_verified)" = "$VERIFIED" ] || fail "access token says email_verified $(claim "$ACCESS" email_verified), expected $VERIFIED"
ok "200 token response with HttpOnly refresh cookie; access token email_verified $VERIFIED"

STEP="5 me"
request GET /me "" -H "Authorization: Bearer $ACCESS"
expect_status 200
[ -n "$USER_ID" ] || USER_ID=$(field user_id)
[ -n "$USER_ID" ] && [ "$(field user_id)" = "$USER_ID" ] && [ "$(field email)" = "$EMAIL" ] || fail "wrong profile: $(cat "$WORK/body")"
[ -n "$(field tenant)" ] && [ -n "$(field created_at)" ] || fail "profile incomplete: $(cat "$WORK/body")"
[ "$(field email_verified)" = "$VERIFIED" ] || fail "profile says email_verified $(field email_verified), expected $VERIFIED"
grep -qi 'hash' "$WORK/body" && fail "profile exposes a hash"
ok "200 profile (email_verified $VERIFIED), no hash"
request GET /me ""
expect_status 401
ok "no token -> 401"
# Change the signature's first character (its last one may only carry padding bits).
SIG=${ACCESS##*.}
[ "${SIG:0:1}" = A ] && FLIP=B || FLIP=A
request GET /me "" -H "Authorization: Bearer ${ACCESS%.*}.$FLIP${SIG:1}"
# API Gateway answers a token the authorizer rejects with 403 (HTTP APIs cannot send 401 there).
[ "$STATUS" = 401 ] || [ "$STATUS" = 403 ] || fail "tampered token got HTTP $STATUS"
ok "tampered token -> $STATUS"
request GET /me "" -H "Authorization: Basic $(printf 'a:b' | base64)"
[ "$STATUS" = 401 ] || [ "$STATUS" = 403 ] || fail "Basic scheme got HTTP $STATUS"
ok "other scheme -> $STATUS"

STEP="6 refresh"
request POST /auth/refresh "{\"refresh_token\":\"$REFRESH\"}"
expect_status 200
REFRESH2=$(field refresh_token)
[ -n "$REFRESH2" ] && [ "$REFRESH2" != "$REFRESH" ] || fail "refresh token did not rotate"
ok "body token -> new pair"
# Within the grace window (default 10 s) the token just replaced gets the current one: tabs converge.
request POST /auth/refresh "{\"refresh_token\":\"$REFRESH\"}"
expect_status 200
[ "$(field refresh_token)" = "$REFRESH2" ] || fail "a refresh within the grace window did not converge on the current token"
ok "token just replaced, within the grace window -> the current token, still signed in"
request POST /auth/refresh "" -H "Cookie: refresh_token=$REFRESH2" -H "Origin: https://evil.example"
expect_error 403 access_denied
ok "cookie token from a foreign origin -> 403 access_denied"
request POST /auth/refresh "" -H "Cookie: refresh_token=$REFRESH2" -H "Origin: $ORIGIN"
expect_status 200
REFRESH3=$(field refresh_token)
ok "cookie token from the API's own origin -> new pair"
request POST /auth/refresh "{\"refresh_token\":\"$REFRESH\"}"
expect_error 401 invalid_grant
ok "a token two generations old -> 401 invalid_grant (reuse)"
request POST /auth/refresh "{\"refresh_token\":\"$REFRESH2\"}"
expect_error 401 invalid_grant
request POST /auth/refresh "{\"refresh_token\":\"$REFRESH3\"}"
expect_error 401 invalid_grant
ok "reuse revoked the session: newest token refused too"

STEP="7 logout"
request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_status 200
ACCESS=$(field access_token)
REFRESH=$(field refresh_token)
request POST /auth/logout "" -H "Authorization: Bearer $ACCESS"
expect_status 204
ok "204"
request POST /auth/refresh "{\"refresh_token\":\"$REFRESH\"}"
expect_error 401 invalid_grant
ok "logged-out session cannot refresh"
# A strict route checks the session at once; a bearer one trusts the token until it expires.
request GET /auth/sessions "" -H "Authorization: Bearer $ACCESS"
expect_error 401 invalid_token
ok "strict route refuses the logged-out session's token"

STEP="8 sessions"
login_as() { request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" -A "$1"; expect_status 200; }
sid_of() { printf '%s' "${1%%.*}"; }
login_as smoke-phone
PHONE_ACCESS=$(field access_token)
PHONE_REFRESH=$(field refresh_token)
login_as smoke-laptop
LAPTOP_REFRESH=$(field refresh_token)
request GET /auth/sessions "" -H "Authorization: Bearer $PHONE_ACCESS"
expect_status 200
node -e '
const { sessions } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [phone, laptop] = process.argv.slice(2);
const current = sessions.filter((s) => s.current);
if (current.length !== 1 || current[0].sid !== phone || current[0].user_agent !== "smoke-phone") throw new Error("current session wrong: " + JSON.stringify(current));
if (!sessions.some((s) => s.sid === laptop && s.user_agent === "smoke-laptop")) throw new Error("laptop session missing");
' "$WORK/body" "$(sid_of "$PHONE_REFRESH")" "$(sid_of "$LAPTOP_REFRESH")" || fail "session list: $(shown_body)"
ok "200 session list: both devices, the caller current"
request DELETE "/auth/sessions/$(sid_of "$LAPTOP_REFRESH")" "" -H "Authorization: Bearer $PHONE_ACCESS"
expect_status 204
request POST /auth/refresh "{\"refresh_token\":\"$LAPTOP_REFRESH\"}"
expect_error 401 invalid_grant
ok "ending the laptop's session from the phone: 204, the laptop can no longer refresh"
request DELETE /auth/sessions/not-a-session "" -H "Authorization: Bearer $PHONE_ACCESS"
expect_error 404 not_found
ok "unknown session -> 404"
request POST /auth/logout '{"scope":"global"}' -H "Authorization: Bearer $PHONE_ACCESS"
expect_status 204
request POST /auth/refresh "{\"refresh_token\":\"$PHONE_REFRESH\"}"
expect_error 401 invalid_grant
ok "global sign-out ends every session"

STEP="9 password change"
login_as smoke-phone
PHONE_ACCESS=$(field access_token)
PHONE_REFRESH=$(field refresh_token)
NEW_PASSWORD="$PASSWORD-renewed"
request POST /auth/password "{\"current_password\":\"wrong-$PASSWORD\",\"new_password\":\"$NEW_PASSWORD\"}" -H "Authorization: Bearer $PHONE_ACCESS"
expect_error 401 invalid_grant
request POST /auth/password "{\"current_password\":\"$PASSWORD\",\"new_password\":\"$NEW_PASSWORD\"}" -H "Authorization: Bearer $PHONE_ACCESS"
expect_status 204
request POST /auth/refresh "{\"refresh_token\":\"$PHONE_REFRESH\"}"
expect_status 200
request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_error 401 invalid_grant
PASSWORD=$NEW_PASSWORD
ok "204: the old password stops working, this session continues"

STEP="9b revocation"
login_as smoke-oauth
OAUTH_REFRESH=$(field refresh_token)
request POST /oauth/token "" --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$OAUTH_REFRESH"
expect_status 200
GRANTED=$(field refresh_token)
[ -n "$GRANTED" ] && [ "$GRANTED" != "$OAUTH_REFRESH" ] || fail "the token endpoint did not rotate the refresh token"
grep -qi '^set-cookie:' "$WORK/headers" && fail "the token endpoint set a cookie"
ok "POST /oauth/token (form, grant_type=refresh_token) -> 200 token response, rotated, no cookie"
request POST /oauth/token "" --data-urlencode grant_type=password
expect_error 400 unsupported_grant_type
ok "another grant_type -> 400 unsupported_grant_type"
request POST /oauth/revoke "" --data-urlencode "token=$GRANTED" --data-urlencode token_type_hint=refresh_token
expect_status 200
request POST /auth/refresh "{\"refresh_token\":\"$GRANTED\"}"
expect_error 401 invalid_grant
request POST /oauth/token "" --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$GRANTED"
expect_error 400 invalid_grant
ok "POST /oauth/revoke -> 200; the revoked token then fails on /auth/refresh (401) and /oauth/token (400 invalid_grant)"
request POST /oauth/revoke "" --data-urlencode token=made-up-token
expect_status 200
ok "a made-up token -> 200 too (RFC 7009 §2.2)"
login_as smoke-oauth
COOKIE_REFRESH=$(field refresh_token)
request POST /auth/revoke "" -H "Cookie: refresh_token=$COOKIE_REFRESH" -H "Origin: https://evil.example"
expect_error 403 access_denied
request POST /auth/revoke "" -H "Cookie: refresh_token=$COOKIE_REFRESH" -H "Origin: $ORIGIN"
expect_status 200
grep -qi '^set-cookie: refresh_token=;.*max-age=0' "$WORK/headers" || fail "the refresh cookie was not cleared"
request POST /auth/refresh "{\"refresh_token\":\"$COOKIE_REFRESH\"}"
expect_error 401 invalid_grant
ok "POST /auth/revoke with the cookie: foreign origin -> 403; own origin -> 200, cookie cleared, session ended"

STEP="10 delete account"
login_as smoke-phone
PHONE_ACCESS=$(field access_token)
request DELETE /me "{\"password\":\"$PASSWORD\"}" -H "Authorization: Bearer $PHONE_ACCESS"
expect_status 204
request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_error 401 invalid_grant
ok "204: the account it created is gone (the smoke test cleans up after itself)"

STEP="11 jwks"
request GET /.well-known/jwks.json ""
expect_status 200
node -e '
const crypto = require("crypto");
const [jwksFile, token, base] = process.argv.slice(1);
const { keys } = JSON.parse(require("fs").readFileSync(jwksFile, "utf8"));
const [h, p, s] = token.split(".");
const header = JSON.parse(Buffer.from(h, "base64url"));
const claims = JSON.parse(Buffer.from(p, "base64url"));
const jwk = keys.find((k) => k.kid === header.kid);
const problems = [];
if (!jwk) problems.push("no key with kid " + header.kid);
if (header.alg !== "ES256" || header.typ !== "at+jwt") problems.push("header " + JSON.stringify(header));
for (const c of ["iss", "aud", "sub", "email", "email_verified", "sid", "exp", "iat", "jti"]) if (claims[c] === undefined) problems.push("claim " + c + " missing");
if (jwk && !crypto.verify("sha256", Buffer.from(h + "." + p), { key: crypto.createPublicKey({ key: jwk, format: "jwk" }), dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url")))
  problems.push("signature does not verify with the published key");
if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
' "$WORK/body" "$ACCESS" "$BASE" || fail "access token does not verify against the JWKS"
ok "access token verifies with the published key (ES256, kid, typ at+jwt)"

STEP="12 discovery"
check_discovery "$ACCESS"
ok "one document at both well-known paths; issuer $(cat "$WORK/issuer") is the tokens' iss; jwks, token and revocation endpoints under it"

if [ -n "$SKIPPED" ]; then
  echo "skipped for want of a mailbox (set SMOKE_MAIL_URL to the local mail API's /store URL to run them):"
  printf '%s' "$SKIPPED"
  echo "smoke test passed against $BASE (partial: the steps above were skipped)"
else
  echo "smoke test passed against $BASE"
fi
