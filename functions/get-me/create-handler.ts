import type { AccountWriter } from "../../shared/domain/ports.js";
import { type ApiHandler, personalHandler } from "../../shared/http/api-handler.js";
import type { CallerAuth } from "../../shared/http/caller.js";

/** Dependencies of GET /me. */
export interface Deps {
  /** Who may call: the token settings and the account links. */
  readonly caller: CallerAuth;
  readonly accounts: AccountWriter;
}

/**
 * The signed-in caller's user id, for the `/users/{userId}/...` routes. The first call of a new sign-in
 * identity opens its account: a new user id, never used before (shared/adapters/dynamo-account-writer.ts).
 */
export function createHandler(deps: Deps): ApiHandler {
  return personalHandler(deps.caller, async (_event, caller) => {
    const userId = caller.userId ?? (await deps.accounts.openAccount(caller.subject));
    return { statusCode: 200, body: { userId } };
  });
}
