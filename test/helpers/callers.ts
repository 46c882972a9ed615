import { bindAccountReader } from "../../shared/adapters/dynamo-account-reader.js";
import { bindAccountWriter } from "../../shared/adapters/dynamo-account-writer.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import type { CallerAuth } from "../../shared/http/caller.js";

/**
 * Callers for tests that invoke personal handlers directly (no HTTP server): the claims API Gateway's JWT
 * authorizer would pass after verifying an access token, and real account links in the test's table. The
 * token verification itself is tested through the local server with cognito-local (test/integration/auth*).
 */

/** The issuer and app client the test claims name. */
export const TEST_AUTH = {
  issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool",
  clientIds: ["testclient"],
} as const;

/** The sign-in subject the tests give user `userId`. */
export const subjectOf = (userId: number | string): string => `test-user-${userId}`;

/** Claims of an access token for `subject`, as API Gateway passes them (every value as text). */
export function accessClaims(subject: string): Record<string, string> {
  return {
    iss: TEST_AUTH.issuer,
    client_id: TEST_AUTH.clientIds[0],
    token_use: "access",
    sub: subject,
    exp: "4102444800",
    iat: "1764633600",
    scope: "aws.cognito.signin.user.admin",
  };
}

/**
 * CallerAuth over `table`'s account items, after linking subjectOf(id) -> id for each of `userIds` with the
 * real account writer (a user id not listed has no account: its requests get 403).
 */
export async function callerAuthFor(table: TableRef, userIds: readonly number[]): Promise<CallerAuth> {
  const writer = bindAccountWriter(table);
  await Promise.all(userIds.map((id) => writer.linkAccount(subjectOf(id), id)));
  return { ...TEST_AUTH, accounts: bindAccountReader(table) };
}
