import type { JoseAlg, VerificationKey } from "./keys.js";

/** Where the endpoints the document names are served, as paths under the issuer (from the route table). */
export interface DiscoveryPaths {
  jwks: string;
  token: string;
  revocation: string;
}

/**
 * The claims every access token carries (access-token.ts AccessClaims), published as
 * `claims_supported`. test/oauth.test.ts compares it with a real token's claims, so a claim
 * added there and not here fails a test.
 */
export const ACCESS_TOKEN_CLAIMS = ["iss", "aud", "sub", "email", "email_verified", "sid", "iat", "nbf", "exp", "jti"] as const;

/**
 * The authorization server metadata, one document for OpenID Connect Discovery 1.0 §3 and
 * RFC 8414 §2 (both paths serve it). `issuer` is exactly the tokens' `iss` (Discovery §4.3,
 * RFC 8414 §3.3: a client refuses any other), and every URL is under it, so a custom domain
 * moves them all. What does not apply is left out rather than faked:
 * - no `authorization_endpoint`: sign-in is this API's own JSON routes, not a redirect flow,
 *   and the only grant, refresh_token, does not use one (RFC 8414 §2 "REQUIRED unless no
 *   grant types are supported that use the authorization endpoint"); so `response_types_supported`,
 *   required by both, is empty;
 * - no `userinfo_endpoint`: GET /me answers this API's own shape, not OIDC Core §5.3's;
 * - no `scopes_supported`: tokens carry no scopes;
 * - no `*_auth_signing_alg_values_supported`: clients are public (`none`), nothing signs a request.
 */
export function discoveryDocument(issuer: string, keys: readonly VerificationKey[], paths: DiscoveryPaths): Record<string, unknown> {
  const base = issuer.replace(/\/+$/, "");
  return {
    issuer,
    jwks_uri: `${base}${paths.jwks}`,
    token_endpoint: `${base}${paths.token}`,
    revocation_endpoint: `${base}${paths.revocation}`,
    grant_types_supported: ["refresh_token"],
    // Public clients (RFC 6749 §2.1): a client_id, if sent, is ignored.
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    response_types_supported: [],
    subject_types_supported: ["public"],
    // Required by Discovery §3 though no ID token is issued: the algorithms of the keys that
    // sign (and verify) the access tokens, so an RS256 environment says RS256.
    id_token_signing_alg_values_supported: algorithmsOf(keys),
    claims_supported: [...ACCESS_TOKEN_CLAIMS],
  };
}

/** Each algorithm of the configured keys once, in the keys' order (the signing key first). */
const algorithmsOf = (keys: readonly VerificationKey[]): JoseAlg[] => [...new Set(keys.map((key) => key.alg))];
