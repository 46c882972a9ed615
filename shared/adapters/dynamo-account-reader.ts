import type { StoreConfig } from "../config.js";
import type { AccountReader } from "../domain/ports.js";
import { createTableRef, getItem, type TableRef } from "./dynamo-client.js";
import { readN } from "./dynamo-codec.js";
import { accountKey } from "./dynamo-keys.js";

/** Links kept in memory per function instance; a link never changes once written, so caching it is safe. */
const CACHE_LIMIT = 10_000;

/**
 * Reads the subject -> user id links (one GetItem, strongly consistent so an account opened a moment ago is
 * seen). Found links are cached for the life of the instance: a link is written once and never changes.
 * Concurrent lookups of one subject share one read.
 */
export function bindAccountReader(table: TableRef): AccountReader {
  const cache = new Map<string, Promise<number | null>>();
  const read = async (subject: string): Promise<number | null> => {
    const item = await getItem(table, accountKey(subject), { consistent: true });
    return item === undefined ? null : readN(item, "userId");
  };
  return {
    userIdOf(subject) {
      const cached = cache.get(subject);
      if (cached !== undefined) return cached;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      const lookup = read(subject);
      cache.set(subject, lookup);
      // Only links are kept: a subject without one (yet) or a failed read is asked again next time.
      lookup.then(
        (userId) => {
          if (userId === null) cache.delete(subject);
        },
        () => cache.delete(subject),
      );
      return lookup;
    },
  };
}

/** The account reader for the configured table (its own client: createTableRef). */
export function createAccountReader(config: StoreConfig): AccountReader {
  return bindAccountReader(createTableRef(config));
}
