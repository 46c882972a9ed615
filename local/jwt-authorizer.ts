import { JwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

/**
 * What API Gateway's HTTP API JWT authorizer does before a personal route's function runs, for the local
 * server: take the token from the Authorization header (`Bearer <jwt>` or the bare JWT), verify it with
 * aws-jwt-verify (RS256 signature against the pool's JWKS, `iss` equal to the issuer, `exp`/`nbf`, and `aud`
 * or `client_id` among the audience), and hand the claims on as API Gateway does: every value as text.
 * Like API Gateway it does not look at `token_use`: the function does (shared/http/caller.ts).
 */

/** Verifies a request's Authorization header; the claims as API Gateway passes them, or an error. */
export type LocalAuthorizer = (authorization: string | undefined) => Promise<Record<string, string>>;

/** Where the tokens come from. */
export interface JwtAuthorizerOptions {
  /** Exactly the tokens' `iss`. */
  readonly issuer: string;
  /** App client ids: a token's `aud` (ID tokens) or `client_id` (access tokens) must be one of them. */
  readonly audience: readonly string[];
  /** The issuer's JWKS (fetched once per key id, then cached). */
  readonly jwksUri: string;
}

/** Refused by the authorizer: the local server answers 401. */
class TokenRejectedError extends Error {
  override readonly name = "TokenRejectedError";
}

/** aws-jwt-verify's own fetcher speaks https only; cognito-local serves its JWKS over http on loopback. */
const loopbackFetcher = {
  fetch: async (uri: string): Promise<ArrayBuffer> => {
    const response = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`JWKS ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/** A claim value as API Gateway passes it to the function: text; arrays as `[a b]`. */
function asText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(String).join(" ")}]`;
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Creates the local stand-in for API Gateway's JWT authorizer. */
export function createJwtAuthorizer(options: JwtAuthorizerOptions): LocalAuthorizer {
  const audience = new Set(options.audience);
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      jwksUri: options.jwksUri,
      // Checked below as API Gateway does: `aud` or `client_id`.
      audience: null,
      customJwtCheck: ({ payload }) => {
        const aud = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
        const clientId = typeof payload.client_id === "string" ? [payload.client_id] : [];
        if (![...aud, ...clientId].some((id) => audience.has(id))) {
          throw new TokenRejectedError("the token's audience is not this API's");
        }
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
  );
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "")?.[1] ?? authorization?.trim();
    if (!token) throw new TokenRejectedError("no token in the Authorization header");
    let payload: Record<string, unknown>;
    try {
      payload = (await verifier.verify(token)) as Record<string, unknown>;
    } catch (error) {
      throw new TokenRejectedError(`the token was refused: ${(error as Error).message}`, { cause: error });
    }
    return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, asText(value)]));
  };
}
