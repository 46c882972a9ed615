/**
 * A dismissal and a favourite of the same movie, racing: each write checks the other in its own
 * TransactWriteItems, so whichever commits second sees the first. The race is forced by a client that runs
 * the other write just before it forwards the first one's transaction (a timing no real part produces on
 * demand); everything else is DynamoDB Local.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { topMovies } from "../../shared/adapters/dynamo-count-reader.js";
import { dismissMovie } from "../../shared/adapters/dynamo-dismissed.js";
import { recordFavourite } from "../../shared/adapters/dynamo-favourite-writer.js";
import { GLOBAL } from "../../shared/adapters/dynamo-keys.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { readUserState } from "../../shared/adapters/dynamo-user-state.js";
import { ConflictError } from "../../shared/domain/errors.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);
let table: TableRef;

/** The table, with `before` run once just before the first TransactWriteItems is forwarded. */
function racing(before: () => Promise<unknown>): TableRef {
  let pending = true;
  const client = {
    send: async (command: { constructor: { name: string } }) => {
      if (pending && command.constructor.name === "TransactWriteItemsCommand") {
        pending = false;
        await before();
      }
      return (table.client.send as (c: unknown) => Promise<unknown>)(command);
    },
  } as unknown as TableRef["client"];
  return { ...table, client };
}

/** A movie's live global favourite count in v1 (the count item favourite writes move). */
async function globalCount(movieId: number): Promise<number> {
  const top = await topMovies(table, "v1", GLOBAL, 100);
  return top.find((t) => t.movie.movieId === movieId)?.count ?? 0;
}

describe("dismissal and favourite in one transaction each, checking the other", () => {
  beforeAll(async () => {
    table = await createTestTable("dismissal-race");
    await acquireTrainingLock(table, "t", NOW, 60_000);
    await beginModelVersion(table, "v1", "t", NOW);
    await writeModelVersion(table, tinyVersion("v1"), TINY_WRITE_OPTIONS);
    await publishModelVersion(table, "v1", "t", NOW);
  });

  it("a favourite whose movie is dismissed after its state was read answers 409 and is not counted", async () => {
    const before = await globalCount(15);
    const write = recordFavourite(
      racing(() => dismissMovie(table, 1, 15, NOW)),
      1,
      15,
      NOW,
    );
    await expect(write).rejects.toBeInstanceOf(ConflictError);
    const state = await readUserState(table, 1);
    expect(state.dismissed.has(15)).toBe(true);
    expect(state.favourites.get(15)).toBeUndefined();
    expect(await globalCount(15)).toBe(before);
  });

  it("a dismissal whose movie became a favourite after its state was read removes it, counted once", async () => {
    const before = await globalCount(15);
    const outcome = await dismissMovie(
      racing(() => recordFavourite(table, 2, 15, NOW)),
      2,
      15,
      NOW,
    );
    expect(outcome).toEqual({ created: true });
    const state = await readUserState(table, 2);
    expect(state.dismissed.has(15)).toBe(true);
    // Recorded by the race, then removed by the dismissal's second round: a tombstone, the count as before.
    expect(state.favourites.get(15)?.state).toBe("removed");
    expect(await globalCount(15)).toBe(before);
  });
});
