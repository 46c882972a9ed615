import { searchTitles } from "../../shared/domain/catalogue/search.js";
import { NotFoundError } from "../../shared/domain/errors.js";
import type { CatalogueReader, LoadedCatalogue, PicksReader } from "../../shared/domain/ports.js";
import { type GenreWeights, genreWeights } from "../../shared/domain/ranking/genre-match.js";
import { placePicks, rankPicks } from "../../shared/domain/ranking/picks.js";
import { SERVING_DEFAULTS, TRAINING_DEFAULTS } from "../../shared/domain/settings.js";
import { type ApiHandler, apiHandler } from "../../shared/http/api-handler.js";
import { genreFilterOf } from "../../shared/http/genre-param.js";
import { parseJsonBody } from "../../shared/http/request-schemas.js";
import { picksBody } from "../../shared/http/route-contracts.js";

/** Dependencies of POST /recommendations. */
export interface Deps {
  readonly picks: PicksReader;
  readonly catalogue: CatalogueReader;
  /** Weight of the picks' neighbour blend in the ranking (default SERVING_DEFAULTS.picksNeighbourWeight). */
  readonly picksNeighbourWeight?: number;
  /** Top movies read per placed taste group. */
  readonly candidatePool: number;
}

/** Each catalogue's genre weights, computed once per loaded catalogue (a version's catalogue is cached). */
const GENRE_WEIGHTS = new WeakMap<LoadedCatalogue, GenreWeights>();

function genreWeightsOf(catalogue: LoadedCatalogue): GenreWeights {
  let weights = GENRE_WEIGHTS.get(catalogue);
  if (!weights) {
    weights = genreWeights(catalogue.genres, catalogue.byId.size);
    GENRE_WEIGHTS.set(catalogue, weights);
  }
  return weights;
}

/**
 * Recommendations from a few picks, without storing anything: the picks are placed on the taste groups by
 * closeness to their centroids (soft membership, as training gives its users), the groups' favourites and
 * everyone's are ranked (the picks' neighbours blended in at picksNeighbourWeight, naming a pick in the
 * reasons, and the picks' genres matched at picksGenreWeight), the picks are never recommended, and each
 * movie says why.
 * Unknown movies are a 404 naming them; picks no one favourited in training give the popular list.
 */
export function createHandler(deps: Deps): ApiHandler {
  return apiHandler(async (event) => {
    const body = parseJsonBody(event, picksBody);
    const limit = body.limit ?? 10;
    const offset = body.offset ?? 0;
    const catalogue = await deps.catalogue.catalogue();
    const unknown = body.movieIds.filter((id) => !catalogue.byId.has(id));
    if (unknown.length > 0) {
      throw new NotFoundError("movie", `movies ${unknown.join(", ")} are not in the catalogue`);
    }
    const filter = await genreFilterOf(body.genre, deps.catalogue);
    const accept = filter ? (id: number) => filter.accepts(catalogue.byId.get(id)?.genres ?? []) : undefined;
    const inputs = await deps.picks.picksInputs(body.movieIds);
    const memberships = placePicks(inputs, body.movieIds, {
      width: TRAINING_DEFAULTS.membershipWidth,
      sharpness: TRAINING_DEFAULTS.membershipSharpness,
    });
    const view = (movieId: number) => {
      const movie = catalogue.byId.get(movieId);
      return { movieId, title: movie?.title ?? "", genres: movie?.genres ?? [] };
    };
    if (memberships.length === 0) {
      const picked = new Set(body.movieIds);
      const { hits } = searchTitles(catalogue.index, {
        accept: (movie) => !picked.has(movie.movieId) && (accept?.(movie.movieId) ?? true),
        limit,
        offset,
      });
      return {
        statusCode: 200,
        body: {
          modelVersion: inputs.version,
          source: "popular",
          tasteGroups: [],
          items: hits.map(({ movie }) => ({
            ...view(movie.movieId),
            score: movie.favouriteCount,
            reason: `popular with everyone: a favourite of ${movie.favouriteCount} people`,
          })),
        },
      };
    }
    const [groups, everyone] = await Promise.all([
      deps.picks.clusterCounts(
        inputs.version,
        memberships.map((m) => m.clusterId),
        deps.candidatePool,
      ),
      SERVING_DEFAULTS.picksEveryoneWeight > 0
        ? deps.picks.everyoneCounts(inputs.version, deps.candidatePool)
        : new Map<number, number>(),
    ]);
    const lookup = (id: number) => catalogue.byId.get(id);
    const ranked = rankPicks(inputs, memberships, { groups, everyone }, lookup, genreWeightsOf(catalogue), {
      movieIds: body.movieIds,
      limit,
      offset,
      ...(accept ? { accept } : {}),
      neighbourWeight: deps.picksNeighbourWeight ?? SERVING_DEFAULTS.picksNeighbourWeight,
      neighbourScale: SERVING_DEFAULTS.picksNeighbourScale,
      everyoneWeight: SERVING_DEFAULTS.picksEveryoneWeight,
      genreWeight: SERVING_DEFAULTS.picksGenreWeight,
    });
    const { clusters } = await deps.catalogue.clusters();
    return {
      statusCode: 200,
      body: {
        modelVersion: inputs.version,
        source: "picks",
        tasteGroups: memberships.map((m) => ({
          clusterId: m.clusterId,
          label: clusters.find((c) => c.clusterId === m.clusterId)?.label ?? "",
          size: inputs.sizes[m.clusterId] ?? 0,
          weight: Math.round(m.weight * 10_000) / 10_000,
        })),
        items: ranked.map((movie) => ({
          ...view(movie.movieId),
          score: movie.score,
          reason: movie.reason,
          ...(movie.similarTo ? { similarTo: movie.similarTo } : {}),
        })),
      },
    };
  });
}
