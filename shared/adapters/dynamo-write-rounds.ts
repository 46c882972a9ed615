/**
 * The optimistic loop shared by the writes that change one user's relation to one movie (record a favourite,
 * dismiss a movie): read the movie and the user's state together, decide and write conditionally, and when
 * the write lost a race with another write of the same user, read the state again and decide again.
 */
import { NotFoundError, ThrottledError } from "../domain/errors.js";
import type { MovieSummary } from "../domain/ports.js";
import type { TableRef } from "./dynamo-client.js";
import { readMovie } from "./dynamo-movie-reader.js";
import { readUserState, type UserState } from "./dynamo-user-state.js";

/** How many times a write re-reads and retries after losing a race, before giving up with 429. */
const MAX_ROUNDS = 12;

/**
 * Runs `attempt` on the user's state until it returns an outcome (undefined: it lost a race; the state is
 * read again for the next round). NotFoundError("movie") when the movie is not in the catalogue;
 * ThrottledError naming `what` when every round lost.
 */
export async function inWriteRounds<T>(
  table: TableRef,
  userId: number,
  movieId: number,
  what: string,
  attempt: (state: UserState, movie: MovieSummary) => Promise<T | undefined>,
): Promise<T> {
  const [movie, first] = await Promise.all([readMovie(table, movieId), readUserState(table, userId)]);
  if (!movie) throw new NotFoundError("movie", `movie ${movieId} is not in the catalogue`);
  let state = first;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (round > 0) state = await readUserState(table, userId);
    const outcome = await attempt(state, movie);
    if (outcome !== undefined) return outcome;
  }
  throw new ThrottledError(`${what} (${userId}, ${movieId}) kept racing with other writes`);
}
