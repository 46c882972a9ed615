import { readN } from "./dynamo-codec.js";
import type { StoreConfig } from "../config.js";
import { createTableRef, getItem, type TableRef } from "./dynamo-client.js";
import { accountKey } from "./dynamo-keys.js";
import type { AccountReader } from "../domain/ports.js";

/** Links kept in memory per function instance; a link never changes once written, so caching it is safe. */
const CACHE_LIMIT = 10_000;

/**
 * Reads the subject -> user id links (one GetItem, strongly consistent so an account opened a moment ago is
 * seen). Found links are cached for the life of the instance: a link is written once and never changes.
 */
export function bindAccountReader(table: TableRef): AccountReader {
  const cache = new Map<string, number>();
  return {
    async userIdOf(subject) {
      const cached = cache.get(subject);
      if (cached !== undefined) return cached;
      const item = await getItem(table, accountKey(subject), { consistent: true });
      if (item === undefined) return null;
      const userId = readN(item, "userId");
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(subject, userId);
      return userId;
    },
  };
}

/** The account reader for the configured table (its own client: createTableRef). */
export function createAccountReader(config: StoreConfig): AccountReader {
  return bindAccountReader(createTableRef(config));
}
