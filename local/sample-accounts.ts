import { bindAccountWriter } from "../shared/adapters/dynamo-account-writer.js";
import type { TableRef } from "../shared/adapters/dynamo-client.js";
import { ACCOUNT_ID_BASE } from "../shared/constants.js";
import { ValidationError } from "../shared/domain/errors.js";
import { ensureUser, type LocalUserPool, signIn, unverifiedClaims } from "./cognito-accounts.js";

/**
 * Sign-in for the users of the ratings data on the local stack. A sample user's account is opened on demand,
 * the first time a token is asked for: a cognito-local user `user-<id>@cinecluster.local` with the stack's
 * sample password, whose subject is then linked to user id <id> (shared/adapters/dynamo-account-writer.ts).
 */

/** The local sign-in name of sample user `userId`. */
function sampleUsername(userId: number): string {
  return `user-${userId}@cinecluster.local`;
}

/**
 * An access token of sample user `userId` (opening the account first when needed). ValidationError for ids of
 * the range accounts opened through the API use, or when the id is linked to another sign-in.
 */
export async function sampleUserToken(
  pool: Pick<LocalUserPool, "endpoint" | "userPoolId" | "clientId">,
  table: TableRef,
  password: string,
  userId: number,
): Promise<string> {
  if (!Number.isInteger(userId) || userId < 1 || userId > ACCOUNT_ID_BASE) {
    throw new ValidationError("user", `--user must be a user id from 1 to ${ACCOUNT_ID_BASE}`);
  }
  const username = sampleUsername(userId);
  await ensureUser(pool, username, password);
  const { accessToken } = await signIn(pool, username, password);
  const subject = String(unverifiedClaims(accessToken).sub);
  const { linked } = await bindAccountWriter(table).linkAccount(subject, userId);
  if (!linked) throw new ValidationError("user", `user ${userId} is already linked to another sign-in`);
  return accessToken;
}
