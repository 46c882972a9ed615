import type { StoreConfig } from "../config.js";
import { ACCOUNT_ID_BASE } from "../constants.js";
import { StoreError } from "../domain/errors.js";
import type { AccountWriter } from "../domain/ports.js";
import { bindAccountReader } from "./dynamo-account-reader.js";
import { createTableRef, type TableRef, transactWrite, updateItem } from "./dynamo-client.js";
import { N, readN, S } from "./dynamo-codec.js";
import { ACCOUNT_COUNTER_KEY, accountKey, accountOwnerKey } from "./dynamo-keys.js";

const INT32_MAX = 2_147_483_647;

/**
 * Opens and links accounts. A new account's id comes from one counter item, `ADD next 1` (a single atomic
 * update: concurrent callers always get distinct numbers, and the counter never goes down, so an id is never
 * handed out twice). The link is then written in one transaction as two items, each put only if absent: the
 * subject's item (subject -> id) and the id's owner item (id -> subject). Two first requests of one subject
 * race on the subject's item; the loser's number stays unused (a gap, never reused) and it returns the
 * winner's id.
 */
export function bindAccountWriter(table: TableRef): AccountWriter {
  const reader = bindAccountReader(table);

  /** Puts both link items if neither exists; false when either already did (nothing written). */
  const putLink = async (subject: string, userId: number): Promise<boolean> => {
    const outcome = await transactWrite(table, [
      {
        Put: {
          TableName: table.tableName,
          Item: { ...keyOf(accountKey(subject)), userId: N(userId) },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: table.tableName,
          Item: { ...keyOf(accountOwnerKey(userId)), subject: S(subject) },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ]);
    return outcome.committed;
  };

  const nextUserId = async (): Promise<number> => {
    const attributes = await updateItem(table, {
      Key: keyOf(ACCOUNT_COUNTER_KEY),
      UpdateExpression: "ADD #next :one",
      ExpressionAttributeNames: { "#next": "next" },
      ExpressionAttributeValues: { ":one": N(1) },
      ReturnValues: "UPDATED_NEW",
    });
    const userId = ACCOUNT_ID_BASE + readN(attributes ?? {}, "next");
    if (userId > INT32_MAX) throw new StoreError(`no account ids left (next would be ${userId})`);
    return userId;
  };

  return {
    userIdOf: reader.userIdOf,
    async openAccount(subject) {
      const existing = await reader.userIdOf(subject);
      if (existing !== null) return existing;
      const userId = await nextUserId();
      if (await putLink(subject, userId)) return userId;
      const winner = await reader.userIdOf(subject);
      if (winner === null)
        throw new StoreError(`user id ${userId} is already claimed; the counter is behind`);
      return winner;
    },
    async linkAccount(subject, userId) {
      if (await putLink(subject, userId)) return { linked: true };
      return { linked: (await reader.userIdOf(subject)) === userId };
    },
  };
}

function keyOf(key: { readonly pk: string; readonly sk: string }) {
  return { pk: S(key.pk), sk: S(key.sk) };
}

/** The account writer for the configured table (its own client: createTableRef). */
export function createAccountWriter(config: StoreConfig): AccountWriter {
  return bindAccountWriter(createTableRef(config));
}
