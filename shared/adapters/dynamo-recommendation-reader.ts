/**
 * The recommendation read (read side): everything one user's ranking needs, from ONE model version: the
 * pointer, the user's items, their clusters' top counts, the neighbours of their favourites and the titles
 * of the movies. It never writes: a user not yet placed is placed in memory by the rule placement stores.
 */
import { StoreError } from "../domain/errors.js";
import type { MovieSummary, RecommendationData } from "../domain/ports.js";
import type { ClusterView, FavouriteNeighbours } from "../domain/ranking/ranking.js";
import { batchGetAll } from "./dynamo-batch.js";
import type { TableRef } from "./dynamo-client.js";
import { placeFavouritesIn } from "./dynamo-closeness.js";
import { readN, readPacked, readS, S, unpackFloat32 } from "./dynamo-codec.js";
import { topMovies } from "./dynamo-count-reader.js";
import { countPk, GLOBAL, movieIdOfSk, movieSk } from "./dynamo-keys.js";
import type { MovieMemory } from "./dynamo-movie-reader.js";
import { requireActive } from "./dynamo-pointer.js";
import { effectiveFavourites, placedUser, readUserState } from "./dynamo-user-state.js";

/** At most this many of the user's favourites have their neighbours read (the most recent recorded first). */
const NEIGHBOUR_FAVOURITES = 200;

/** A favourite's stored neighbours as the cache keeps them, with its title for the reason. */
interface CachedNeighbours {
  readonly title: string;
  readonly entry: FavouriteNeighbours;
}

/**
 * A warm function instance's memory of movies' neighbours. A version's neighbours never change once written,
 * so entries stay valid; the map is cleared when it would hold more than `capacity` neighbours in all (default
 * 2 M: about 24 MB of packed arrays, ~10,000 movies at 200 each). Movie titles (catalogue items, shared by
 * every version) are remembered the same way, up to `movieCapacity`.
 */
export class NeighbourCache implements MovieMemory {
  private readonly entries = new Map<string, CachedNeighbours | null>();
  private readonly titles = new Map<number, MovieSummary>();
  private held = 0;

  constructor(
    private readonly capacity = 2_000_000,
    private readonly movieCapacity = 100_000,
  ) {}

  /** The cached neighbours (null: the movie has none), or undefined when not cached. */
  get(version: string, movieId: number): CachedNeighbours | null | undefined {
    return this.entries.get(`${version}#${movieId}`);
  }

  /** Remembers a movie's neighbours in a version. */
  set(version: string, movieId: number, neighbours: CachedNeighbours | null): void {
    const size = 1 + (neighbours?.entry.neighbours.movieIds.length ?? 0);
    if (this.held + size > this.capacity) {
      this.entries.clear();
      this.held = 0;
    }
    this.entries.set(`${version}#${movieId}`, neighbours);
    this.held += size;
  }

  /** A remembered catalogue entry, or undefined. */
  movie(movieId: number): MovieSummary | undefined {
    return this.titles.get(movieId);
  }

  /** Remembers a catalogue entry. */
  setMovie(movie: MovieSummary): void {
    if (this.titles.size >= this.movieCapacity) this.titles.clear();
    this.titles.set(movie.movieId, movie);
  }
}

/**
 * Each favourite's stored neighbours (version's global count items: `nb` ids, `ns` weights, `nt` co-favourite
 * counts; `gsi1sk` is how many people favourited it), with its title; favourites without are left out.
 */
async function neighboursOf(
  table: TableRef,
  version: string,
  favourites: readonly number[],
  cache: NeighbourCache,
): Promise<{ neighbours: Map<number, FavouriteNeighbours>; titles: Map<number, string> }> {
  const neighbours = new Map<number, FavouriteNeighbours>();
  const titles = new Map<number, string>();
  const keep = (movieId: number, cached: CachedNeighbours) => {
    neighbours.set(movieId, cached.entry);
    titles.set(movieId, cached.title);
  };
  const unknown: number[] = [];
  for (const movieId of favourites) {
    const cached = cache.get(version, movieId);
    if (cached === undefined) unknown.push(movieId);
    else if (cached !== null) keep(movieId, cached);
  }
  if (unknown.length === 0) return { neighbours, titles };
  const items = await batchGetAll(
    table.client,
    table.tableName,
    unknown.map((id) => ({ pk: S(countPk(version, GLOBAL)), sk: S(movieSk(id)) })),
    { projection: "sk, gsi1sk, title, nb, ns, nt", policy: table.retry, chunkSize: 25 },
  );
  const found = new Map<number, CachedNeighbours>();
  for (const item of items) {
    const ids = readPacked(item, "nb");
    if (ids.length === 0) continue;
    const weights = item.ns?.B ? unpackFloat32(item.ns.B) : new Float32Array(0);
    const together = readPacked(item, "nt");
    if (weights.length !== ids.length || (together.length > 0 && together.length !== ids.length)) {
      throw new StoreError("neighbour ids, weights and counts differ in length");
    }
    found.set(movieIdOfSk(readS(item, "sk")), {
      title: item.title?.S ?? "",
      entry: { likedBy: readN(item, "gsi1sk"), neighbours: { movieIds: ids, weights, together } },
    });
  }
  for (const movieId of unknown) {
    const cached = found.get(movieId) ?? null;
    cache.set(version, movieId, cached);
    if (cached) keep(movieId, cached);
  }
  return { neighbours, titles };
}

/**
 * Reads a user's ranking inputs from ONE version (the pointer is read first; every later read names that
 * version): pointer, user items and favourites in parallel; then, in parallel, each membership cluster's
 * top-N counts (without titles and genres when `titles` is false: `movies` is then empty) and the neighbours
 * of the user's favourites. Reads only: a user the version has no item for
 * but who has recorded favourites is placed by them (placeFavouritesIn, the rule record-favourite stores
 * placements by, so later requests agree).
 */
export async function readRecommendationData(
  table: TableRef,
  userId: number,
  candidatePool: number,
  neighbourCache: NeighbourCache = new NeighbourCache(),
  options: { readonly titles?: boolean } = {},
): Promise<RecommendationData> {
  const state = await readUserState(table, userId);
  const active = requireActive(state.pointer);
  const version = active.version;
  const exclude = effectiveFavourites(state, version);
  for (const favourite of state.favourites.values()) exclude.add(favourite.movieId);
  // Seen means seen: every movie the user rated in the training data, favourite or not.
  for (const movieId of state.versions.get(version)?.seen ?? []) exclude.add(movieId);
  for (const movieId of state.dismissed) exclude.add(movieId);
  let user = state.versions.get(version);
  let placed = user?.placed ?? false;
  if (!user) {
    const recorded = effectiveFavourites(state, null);
    if (recorded.size === 0) return { kind: "no-history", version, exclude: state.dismissed };
    // record-favourite stores placements; this read-only function only computes one for the rare user it
    // has not stored yet (favourites recorded before any model existed, until a publish catches them up).
    user = placedUser(version, await placeFavouritesIn(table, userId, version, [...recorded]));
    placed = true;
  }
  const memberships = user.memberships.filter((m) => m.weight > 0 && m.clusterId < active.sizes.length);
  if (memberships.length === 0) memberships.push({ clusterId: user.clusterId, weight: 1 });
  // Every membership reads the same top-N, as the evaluation's ranking input does (topCounts).
  const recorded = [...state.favourites.values()]
    .filter((f) => f.state === "active")
    .sort((a, b) => b.updatedAt - a.updatedAt || a.movieId - b.movieId)
    .map((f) => f.movieId);
  const favourites = [...new Set([...recorded, ...effectiveFavourites(state, version)])].slice(
    0,
    NEIGHBOUR_FAVOURITES,
  );
  const [tops, { neighbours, titles }] = await Promise.all([
    Promise.all(
      memberships.map((m) =>
        topMovies(table, version, m.clusterId, candidatePool, { titles: options.titles ?? true }),
      ),
    ),
    neighboursOf(table, version, favourites, neighbourCache),
  ]);
  const movies = new Map<number, MovieSummary>();
  const clusters: ClusterView[] = memberships.map((m, i) => {
    const counts = new Map<number, number>();
    for (const { movie, count } of tops[i]!) {
      counts.set(movie.movieId, count);
      if (options.titles ?? true) movies.set(movie.movieId, movie);
    }
    return { clusterId: m.clusterId, size: active.sizes[m.clusterId] ?? 0, weight: m.weight, counts };
  });
  return {
    kind: "clusters",
    version,
    clusters,
    exclude,
    movies,
    neighbours,
    favouriteTitles: titles,
    placed,
  };
}
