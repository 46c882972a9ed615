import { assertStringArrayContainsString, assertStringEquals } from "aws-jwt-verify/assert";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ForbiddenError, UnauthorizedError } from "../domain/errors.js";
import type { AccountReader } from "../domain/ports.js";

/**
 * Who is calling a personal route. API Gateway's JWT authorizer (locally: local/jwt-authorizer.ts, the same
 * checks) has verified the token's signature, issuer, audience and expiry, and passes its claims in
 * `requestContext.authorizer.jwt.claims`. The function trusts that verification (it can only be invoked by
 * its API: the Lambda permission names the API) and checks here what the authorizer does not: the token is an
 * access token (an ID token has the same issuer and audience) of one of this pool's app clients.
 */

/** What a personal route's handler needs to know who calls it. */
export interface CallerAuth {
  /** The user pool's issuer URL, exactly as in the tokens' `iss`. */
  readonly issuer: string;
  /** App clients whose access tokens are accepted. */
  readonly clientIds: readonly string[];
  readonly accounts: AccountReader;
}

/** The verified caller of a personal route. */
export interface Caller {
  /** The token's `sub`: the sign-in identity. */
  readonly subject: string;
  /** The caller's numeric user id; null when the subject has no account yet (see GET /me). */
  readonly userId: number | null;
}

type Claims = Readonly<Record<string, string | number | boolean | string[]>>;

function claimsOf(event: APIGatewayProxyEventV2): Claims | undefined {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } };
  return context.authorizer?.jwt?.claims;
}

/** The subject of the verified access token in the event; UnauthorizedError when there is none or it is not one. */
function verifiedSubject(event: APIGatewayProxyEventV2, auth: Pick<CallerAuth, "issuer" | "clientIds">) {
  const claims = claimsOf(event);
  if (claims === undefined)
    throw new UnauthorizedError("an access token is required (authorization: Bearer ...)");
  try {
    // The checks aws-jwt-verify's CognitoJwtVerifier makes on an access token's claims, with its assertions.
    assertStringEquals("Issuer", claims.iss, auth.issuer);
    assertStringEquals("Token use", claims.token_use, "access");
    assertStringArrayContainsString("Client ID", claims.client_id, auth.clientIds);
  } catch (error) {
    throw new UnauthorizedError("the token is not an access token of this service", { cause: error });
  }
  const subject = claims.sub;
  if (typeof subject !== "string" || subject === "") throw new UnauthorizedError("the token has no subject");
  return subject;
}

/**
 * The caller of a personal route: 401 (UnauthorizedError) without a valid access token; 403 (ForbiddenError)
 * when the path names a `userId` that is not the caller's, before anything is read or stored.
 */
export async function authorizeCaller(event: APIGatewayProxyEventV2, auth: CallerAuth): Promise<Caller> {
  const subject = verifiedSubject(event, auth);
  const userId = await auth.accounts.userIdOf(subject);
  const pathUserId = event.pathParameters?.userId;
  if (pathUserId !== undefined && (userId === null || pathUserId !== String(userId))) {
    throw new ForbiddenError("the userId in the path is not the signed-in user's");
  }
  return { subject, userId };
}
