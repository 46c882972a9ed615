/**
 * What sets each taste group apart: its genres and movies ranked by lift over the whole population (how much
 * more often the group's members favourite them than everyone does), not by raw frequency, which gives every
 * group the same few genres. Each figure comes with the counts behind it. Computed once per training run.
 */
import type { TrainedModel } from "../clustering/model.js";
import { NO_GENRES } from "../input/movies-parser.js";
import { parseTitle } from "./titles.js";

/** A genre that sets a group apart. */
export interface DistinctiveGenre {
  readonly genre: string;
  /** Favourites of the group's members in this genre (a favourite counts for each of its movie's genres). */
  readonly favourites: number;
  /** favourites / all favourites of the group's members. */
  readonly share: number;
  /** The same share over everyone. */
  readonly overallShare: number;
  /** share / overallShare. */
  readonly lift: number;
}

/** A movie that sets a group apart. */
export interface DistinctiveMovie {
  readonly movieId: number;
  readonly title: string;
  /** Members who favourited it. */
  readonly likedBy: number;
  /** likedBy / group size. */
  readonly share: number;
  /** Everyone who favourited it / everyone. */
  readonly overallShare: number;
  readonly lift: number;
}

/** A taste group as GET /clusters shows it. */
export interface ClusterSummary {
  readonly clusterId: number;
  readonly size: number;
  /** Short label from the most distinctive genres and movie: "Animation & Children: Finding Nemo". */
  readonly label: string;
  readonly distinctiveGenres: readonly DistinctiveGenre[];
  readonly distinctiveMovies: readonly DistinctiveMovie[];
}

/** Options of {@link summariseClusters}. */
export interface SummaryOptions {
  readonly genres?: number;
  readonly movies?: number;
}

const round = (x: number, places = 4) => Math.round(x * 10 ** places) / 10 ** places;

function genreFavourites(
  movieIds: Int32Array,
  counts: Int32Array,
  genresOf: ReadonlyMap<number, readonly string[]>,
): { byGenre: Map<string, number>; total: number } {
  const byGenre = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < movieIds.length; i++) {
    total += counts[i]!;
    for (const genre of genresOf.get(movieIds[i]!) ?? []) {
      if (genre === NO_GENRES) continue;
      byGenre.set(genre, (byGenre.get(genre) ?? 0) + counts[i]!);
    }
  }
  return { byGenre, total };
}

/**
 * Each cluster's distinctive genres (those holding at least 2% of its members' favourites and 2 of them, by
 * lift) and movies (favourited by at least 10% of its members and 2 of them, by lift, then by likedBy).
 */
export function summariseClusters(
  model: Pick<TrainedModel, "clusters" | "global">,
  movies: readonly { readonly movieId: number; readonly title: string; readonly genres: readonly string[] }[],
  options: SummaryOptions = {},
): ClusterSummary[] {
  const genreLimit = options.genres ?? 3;
  const movieLimit = options.movies ?? 5;
  const genresOf = new Map(movies.map((m) => [m.movieId, m.genres]));
  const titleOf = new Map(movies.map((m) => [m.movieId, m.title]));
  const users = model.global.users;
  const globalCount = new Map<number, number>();
  model.global.movieIds.forEach((id, i) => {
    globalCount.set(id, model.global.counts[i]!);
  });
  const overall = genreFavourites(model.global.movieIds, model.global.counts, genresOf);

  return model.clusters.map((cluster) => {
    const own = genreFavourites(cluster.movieIds, cluster.counts, genresOf);
    const distinctiveGenres = [...own.byGenre]
      .filter(([, favourites]) => favourites >= 2 && favourites >= 0.02 * own.total)
      .map(([genre, favourites]) => {
        const share = favourites / own.total;
        const overallShare = (overall.byGenre.get(genre) ?? 0) / overall.total;
        return { genre, favourites, share, overallShare, lift: share / overallShare };
      })
      .sort((a, b) => b.lift - a.lift || b.favourites - a.favourites || (a.genre < b.genre ? -1 : 1))
      .slice(0, genreLimit)
      .map((g) => ({
        ...g,
        share: round(g.share),
        overallShare: round(g.overallShare),
        lift: round(g.lift, 2),
      }));
    const minLikes = Math.max(2, Math.ceil(0.1 * cluster.size));
    const distinctiveMovies: DistinctiveMovie[] = [];
    for (let i = 0; i < cluster.movieIds.length && cluster.counts[i]! >= minLikes; i++) {
      const movieId = cluster.movieIds[i]!;
      const share = cluster.counts[i]! / cluster.size;
      const overallShare = (globalCount.get(movieId) ?? 0) / users;
      distinctiveMovies.push({
        movieId,
        title: titleOf.get(movieId) ?? "",
        likedBy: cluster.counts[i]!,
        share,
        overallShare,
        lift: overallShare > 0 ? share / overallShare : 0,
      });
    }
    distinctiveMovies.sort((a, b) => b.lift - a.lift || b.likedBy - a.likedBy || a.movieId - b.movieId);
    const topMovies = distinctiveMovies.slice(0, movieLimit).map((m) => ({
      ...m,
      share: round(m.share),
      overallShare: round(m.overallShare),
      lift: round(m.lift, 2),
    }));
    const genreLabel =
      distinctiveGenres
        .slice(0, 2)
        .map((g) => g.genre)
        .join(" & ") || "Mixed tastes";
    const lead = topMovies[0] ? `: ${parseTitle(topMovies[0].title).name}` : "";
    return {
      clusterId: cluster.clusterId,
      size: cluster.size,
      label: `${genreLabel}${lead}`,
      distinctiveGenres,
      distinctiveMovies: topMovies,
    };
  });
}
