import { runPool } from "./dynamo-batch.js";
import { type TableRef, updateItemIf } from "./dynamo-client.js";
import { N, S } from "./dynamo-codec.js";
import { readAllFavourites } from "./dynamo-favourite-scan.js";
import { favouritePk, favouriteSk } from "./dynamo-keys.js";

/**
 * Keeps each favourite item's `counted` map (version -> counted in it) to versions that still exist: one
 * update per item that names a removed version, conditioned on the item's revision as read, so a favourite
 * write in between wins and the entry is pruned by the next cleanup. Without it the map grows by one
 * version per training run. Returns the items pruned.
 */
export async function pruneCountedIn(
  table: TableRef,
  existing: ReadonlySet<string>,
  concurrency = 4,
): Promise<number> {
  const stale = (await readAllFavourites(table))
    .map((favourite) => ({ favourite, gone: [...favourite.counted.keys()].filter((v) => !existing.has(v)) }))
    .filter(({ gone }) => gone.length > 0);
  const results = await runPool(
    stale.map(({ favourite, gone }) => async (): Promise<number> => {
      const outcome = await updateItemIf(table, {
        Key: {
          pk: S(favouritePk(favourite.userId)),
          sk: S(favouriteSk(favourite.userId, favourite.movieId)),
        },
        UpdateExpression: `REMOVE ${gone.map((_, i) => `counted.#v${i}`).join(", ")}`,
        ConditionExpression: "rev = :rev",
        ExpressionAttributeNames: Object.fromEntries(gone.map((v, i) => [`#v${i}`, v])),
        ExpressionAttributeValues: { ":rev": N(favourite.rev) },
      });
      return outcome === "written" ? 1 : 0;
    }),
    concurrency,
  );
  return results.reduce((a, b) => a + b, 0);
}
