import { createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Tokens no honest sign-in produces, for the 401 tests: one signed with cognito-local's own key (so only
 * its claims are wrong, e.g. expired), an `alg: none` token, and a real token with its payload changed.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function cognitoLocalKey() {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("cognito-local/package.json"));
  const { jwk } = JSON.parse(
    readFileSync(path.join(dir, "lib", "keys", "cognitoLocal.private.json"), "utf8"),
  );
  return createPrivateKey({ key: jwk, format: "jwk" });
}

/** An RS256 JWT with these claims, signed with cognito-local's signing key (kid "CognitoLocal"). */
export function signedByEmulator(claims: Record<string, unknown>): string {
  const unsigned = `${b64({ alg: "RS256", typ: "JWT", kid: "CognitoLocal" })}.${b64(claims)}`;
  const signature = sign("RSA-SHA256", Buffer.from(unsigned), cognitoLocalKey()).toString("base64url");
  return `${unsigned}.${signature}`;
}

/** The token's claims (unverified). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

/** The token with its payload replaced by `claims`, the original signature kept. */
export function withClaims(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${b64(claims)}.${signature}`;
}

/** An unsigned token (`alg: none`) with these claims. */
export function unsigned(claims: Record<string, unknown>): string {
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
}
