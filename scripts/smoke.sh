#!/usr/bin/env bash
# Smoke test of the auth API against any base URL: the local runtime or a deployed stage.
#   scripts/smoke.sh http://127.0.0.1:3000
#   scripts/smoke.sh https://abc123.execute-api.eu-west-1.amazonaws.com
# Walks register -> login -> /me -> refresh (rotation, grace, reuse) -> logout -> sessions (list,
# end one, sign out everywhere) -> password change -> account deletion (cleanup) -> JWKS, and stops
# at the first failure with a readable message. Needs curl and node.
set -euo pipefail

BASE=${1:?usage: scripts/smoke.sh BASE_URL}
BASE=${BASE%/}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
EMAIL="smoke-$(date +%s)-$RANDOM@example.com"
PASSWORD="smoke-Password-$RANDOM-$RANDOM"
STEP=""

fail() { echo "FAIL [$STEP]: $*" >&2; exit 1; }
ok() { echo "ok   [$STEP] $*"; }

# request METHOD PATH [BODY] [extra curl args...]: sets STATUS, body in $WORK/body, headers in $WORK/headers
request() {
  local method=$1 path=$2 body=${3:-}
  shift 3 || shift $#
  local args=(-sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" "$BASE$path")
  [ -n "$body" ] && args+=(-H 'content-type: application/json' --data-binary "$body")
  STATUS=$(curl "${args[@]}" "$@") || fail "curl could not reach $BASE$path"
}

# field NAME: prints a top-level field of the last JSON body
field() { node -e 'const b=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=b[process.argv[2]];process.stdout.write(v===undefined?"":typeof v==="string"?v:JSON.stringify(v))' "$WORK/body" "$1" 2>/dev/null || true; }

expect_status() { [ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS: $(head -c 300 "$WORK/body")"; }
expect_error() { expect_status "$1"; [ "$(field error)" = "$2" ] || fail "expected error $2, got: $(head -c 300 "$WORK/body")"; }

# Browsers send Origin; the refresh cookie is accepted only from an allowed origin or the API's own.
ORIGIN=$(node -p 'new URL(process.argv[1]).origin' "$BASE")

STEP="1 register"
request POST /auth/register "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_status 201
USER_ID=$(field user_id)
[ -n "$USER_ID" ] || fail "no user_id in $(cat "$WORK/body")"
[ "$(field email)" = "$EMAIL" ] || fail "email not echoed"
ok "201 user_id=$USER_ID"
request POST /auth/register "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_error 409 user_exists
ok "same email again -> 409 user_exists"

STEP="2 login"
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
ok "200 token response with HttpOnly refresh cookie"

STEP="3 me"
request GET /me "" -H "Authorization: Bearer $ACCESS"
expect_status 200
[ "$(field user_id)" = "$USER_ID" ] && [ "$(field email)" = "$EMAIL" ] || fail "wrong profile: $(cat "$WORK/body")"
[ -n "$(field tenant)" ] && [ -n "$(field created_at)" ] || fail "profile incomplete: $(cat "$WORK/body")"
grep -qi 'hash' "$WORK/body" && fail "profile exposes a hash"
ok "200 profile, no hash"
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

STEP="4 refresh"
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

STEP="5 logout"
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

STEP="6 sessions"
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
' "$WORK/body" "$(sid_of "$PHONE_REFRESH")" "$(sid_of "$LAPTOP_REFRESH")" || fail "session list: $(head -c 300 "$WORK/body")"
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

STEP="7 password change"
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

STEP="8 delete account"
login_as smoke-phone
PHONE_ACCESS=$(field access_token)
request DELETE /me "{\"password\":\"$PASSWORD\"}" -H "Authorization: Bearer $PHONE_ACCESS"
expect_status 204
request POST /auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect_error 401 invalid_grant
ok "204: the account it created is gone (the smoke test cleans up after itself)"

STEP="9 jwks"
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
for (const c of ["iss", "aud", "sub", "sid", "exp", "iat", "jti"]) if (claims[c] === undefined) problems.push("claim " + c + " missing");
if (jwk && !crypto.verify("sha256", Buffer.from(h + "." + p), { key: crypto.createPublicKey({ key: jwk, format: "jwk" }), dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url")))
  problems.push("signature does not verify with the published key");
if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
' "$WORK/body" "$ACCESS" "$BASE" || fail "access token does not verify against the JWKS"
ok "access token verifies with the published key (ES256, kid, typ at+jwt)"

echo "smoke test passed against $BASE"
