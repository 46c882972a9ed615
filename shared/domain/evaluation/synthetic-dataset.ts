/**
 * Seeded synthetic MovieLens-style data with planted taste groups. Pure and deterministic by seed: the same
 * spec always gives the same bytes. Movie popularity is long-tailed (Zipf-Mandelbrot), user activity too
 * (Lomax, at least 20 ratings each); every user belongs to one planted group, and a group both picks its own
 * subset of movies more often and rates them higher. Ratings are 0.5..5 in half steps, about half >= 4,
 * and a user rates a movie at most once. Rows come out sorted by (userId, movieId), like MovieLens.
 */

import { createRandom, type Random } from "../clustering/random.js";
import { ValidationError } from "../errors.js";
import { type ByteSink, CsvWriter } from "../input/csv-writer.js";
import type { Movie } from "../input/ratings.js";

/** What to generate. */
export interface SyntheticSpec {
  readonly users: number;
  readonly movies: number;
  readonly ratings: number;
  readonly seed: number;
  /** Planted taste groups. Default 8. */
  readonly groups?: number;
}

/** The default: a realistic small dataset (the sample data of `npm start`). */
export const DEFAULT_SYNTHETIC_SPEC = {
  users: 600,
  movies: 2_000,
  ratings: 60_000,
  seed: 1,
  groups: 8,
} as const;

/** Every user rates at least this many movies (as in MovieLens). */
export const MIN_RATINGS_PER_USER = 20;

/** Everything decided before the rows are drawn: catalogue, groups and how many ratings each user has. */
export interface SyntheticPlan {
  readonly spec: Required<SyntheticSpec>;
  /** movieIds[i] of movie index i; ascending and sparse (gaps like MovieLens ids). */
  readonly movieIds: Int32Array;
  /** The planted group whose taste movie i belongs to. */
  readonly movieGroup: Int32Array;
  /** userGroup[u] is the planted group of user u + 1 (user ids are 1..users). */
  readonly userGroup: Int32Array;
  /** ratingsPerUser[u]: how many movies user u + 1 rates; sums to spec.ratings. */
  readonly ratingsPerUser: Int32Array;
  /** Popularity weight of movie i (the long tail). */
  readonly popularity: Float64Array;
  /** Intrinsic quality of movie i, added to its ratings. */
  readonly quality: Float32Array;
}

/** One user's generated rows, sorted by movieId; the arrays are reused for the next user (copy to keep). */
export interface SyntheticUser {
  readonly userId: number;
  readonly group: number;
  readonly count: number;
  readonly movieIds: Int32Array;
  readonly ratings: Float32Array;
  readonly timestamps: Uint32Array;
}

/** In-memory output of {@link generateDataset}. */
export interface SyntheticDataset {
  readonly ratingsCsv: string;
  readonly moviesCsv: string;
  readonly plantedGroupsCsv: string;
  /** plantedGroups[u] is the group of user u + 1. */
  readonly plantedGroups: Int32Array;
  readonly movies: readonly Movie[];
}

/** Zipf-Mandelbrot offset: 10 + movies / 2,000 (about 40 at MovieLens 25M's 59,047 movies). */
const POPULARITY_OFFSET_BASE = 10;
const POPULARITY_EXPONENT = 1;
const ACTIVITY_ALPHA = 1.3;
/** Probability that a user's next movie is drawn from the group's own movies rather than from all. */
const IN_GROUP_DRAW = 0.4;
const BASE_RATING = 3.65;
const IN_GROUP_BONUS = 0.75;
const OUT_GROUP_MALUS = -0.25;
const FIRST_TIMESTAMP = 820_454_400; // 1996-01-01
const LAST_TIMESTAMP = 1_574_294_400; // 2019-11-21
const MEAN_ACTIVE_SECONDS = 365 * 86_400;
const MAX_REJECTIONS = 32;

const GENRES = [
  "Action",
  "Adventure",
  "Animation",
  "Children",
  "Comedy",
  "Crime",
  "Documentary",
  "Drama",
  "Fantasy",
  "Film-Noir",
  "Horror",
  "IMAX",
  "Musical",
  "Mystery",
  "Romance",
  "Sci-Fi",
  "Thriller",
  "War",
  "Western",
];
const ADJECTIVES = ["Silent", "Last", "Red", "Broken", "Golden", "Hidden", "Long", "Wild", "Lost", "Bright"];
const NOUNS = [
  "Harbour",
  "Summer",
  "Road",
  "Mirror",
  "Garden",
  "Winter",
  "River",
  "Promise",
  "Machine",
  "City",
];
const ARTICLES = ["The", "A", "An"];

/** Checks a spec and fills defaults; throws ValidationError naming the field that is wrong. */
export function validateSyntheticSpec(spec: SyntheticSpec): Required<SyntheticSpec> {
  const full = { groups: DEFAULT_SYNTHETIC_SPEC.groups, ...spec };
  for (const field of ["users", "movies", "ratings", "groups"] as const) {
    if (!(Number.isInteger(full[field]) && full[field] >= 1)) {
      throw new ValidationError(field, `${field} must be a whole number >= 1; got ${full[field]}`);
    }
  }
  if (!Number.isInteger(full.seed))
    throw new ValidationError("seed", `seed must be a whole number; got ${full.seed}`);
  if (full.movies < MIN_RATINGS_PER_USER) {
    throw new ValidationError(
      "movies",
      `movies must be at least ${MIN_RATINGS_PER_USER}; got ${full.movies}`,
    );
  }
  if (full.ratings < full.users * MIN_RATINGS_PER_USER) {
    throw new ValidationError(
      "ratings",
      `ratings must be at least ${MIN_RATINGS_PER_USER} per user (${full.users * MIN_RATINGS_PER_USER}); got ${full.ratings}`,
    );
  }
  const cap = maxRatingsPerUser(full.movies);
  if (full.ratings > full.users * cap) {
    throw new ValidationError(
      "ratings",
      `ratings must be at most ${cap} per user (half the movies: ${full.users * cap}); got ${full.ratings}`,
    );
  }
  if (full.groups > full.users) {
    throw new ValidationError(
      "groups",
      `groups must be at most the number of users (${full.users}); got ${full.groups}`,
    );
  }
  return full;
}

function maxRatingsPerUser(movies: number): number {
  return Math.max(MIN_RATINGS_PER_USER, Math.floor(movies / 2));
}

/** Draws the catalogue, the planted groups and each user's number of ratings (cheap: O(users + movies)). */
export function planSyntheticDataset(spec: SyntheticSpec): SyntheticPlan {
  const full = validateSyntheticSpec(spec);
  const { users, movies, ratings, groups, seed } = full;
  const random = createRandom(seed ^ 0x5eed0001);

  const movieIds = new Int32Array(movies);
  let id = 0;
  for (let i = 0; i < movies; i++) {
    id += 1 + (random.next() < 0.3 ? random.int(8) : 0);
    movieIds[i] = id;
  }
  const rank = shuffledRange(movies, random);
  const offset = POPULARITY_OFFSET_BASE + movies / 2_000;
  const popularity = new Float64Array(movies);
  const quality = new Float32Array(movies);
  const movieGroup = new Int32Array(movies);
  for (let i = 0; i < movies; i++) {
    popularity[i] = 1 / (rank[i]! + offset) ** POPULARITY_EXPONENT;
    quality[i] = 0.4 * normal(random);
    movieGroup[i] = random.int(groups);
  }

  const groupWeights = Array.from({ length: groups }, () => 1 + random.next());
  const groupCdf = cumulative(Float64Array.from(groupWeights));
  const userGroup = new Int32Array(users);
  for (let u = 0; u < users; u++) userGroup[u] = search(groupCdf, random.next() * groupCdf[groups - 1]!);
  // Every group gets at least one member when there are enough users.
  for (let g = 0; g < groups; g++) userGroup[g * Math.floor(users / groups)] = g;

  const ratingsPerUser = allocateRatings(users, ratings, maxRatingsPerUser(movies), random);
  return { spec: full, movieIds, movieGroup, userGroup, ratingsPerUser, popularity, quality };
}

/** Long-tailed counts (Lomax weights) of at least MIN_RATINGS_PER_USER and at most `cap` summing to `total`. */
function allocateRatings(users: number, total: number, cap: number, random: Random): Int32Array {
  const weights = new Float64Array(users);
  let sum = 0;
  for (let u = 0; u < users; u++) {
    weights[u] = (1 - random.next()) ** (-1 / ACTIVITY_ALPHA) - 1;
    sum += weights[u]!;
  }
  const extra = total - users * MIN_RATINGS_PER_USER;
  const counts = new Int32Array(users);
  let assigned = 0;
  for (let u = 0; u < users; u++) {
    const share = sum > 0 ? Math.floor((extra * weights[u]!) / sum) : 0;
    counts[u] = Math.min(cap, MIN_RATINGS_PER_USER + share);
    assigned += counts[u]!;
  }
  // Caps leave ratings over: share them again by weight among users below the cap (a few rounds), then
  // hand out what floors leave one per user, skipping full users.
  let left = total - assigned;
  for (let round = 0; round < 64 && left >= users; round++) {
    let open = 0;
    for (let u = 0; u < users; u++) if (counts[u]! < cap) open += weights[u]!;
    if (open === 0) break;
    const pool = left;
    for (let u = 0; u < users; u++) {
      if (counts[u]! >= cap) continue;
      const add = Math.min(cap - counts[u]!, Math.floor((pool * weights[u]!) / open));
      counts[u]! += add;
      left -= add;
    }
  }
  while (left > 0) {
    for (let u = 0; u < users && left > 0; u++) {
      if (counts[u]! < cap) {
        counts[u]!++;
        left--;
      }
    }
  }
  return counts;
}

/**
 * Draws every user's rows in user order and hands each user to `visit` (O(ratings x log movies)).
 * Movies are drawn without replacement: from the group's own movies with probability 0.4, otherwise from
 * all movies, both by popularity; ratings = base + quality + user bias + group bonus + noise, in half steps.
 */
export function forEachSyntheticUser(plan: SyntheticPlan, visit: (user: SyntheticUser) => void): void {
  const { users, movies, groups, seed } = plan.spec;
  const random = createRandom(seed ^ 0x5eed0002);
  const globalCdf = cumulative(plan.popularity);
  const groupMovies: Int32Array[] = [];
  const groupCdfs: Float64Array[] = [];
  for (let g = 0; g < groups; g++) {
    const members: number[] = [];
    for (let i = 0; i < movies; i++) if (plan.movieGroup[i] === g) members.push(i);
    const indices = Int32Array.from(members);
    groupMovies.push(indices);
    groupCdfs.push(cumulative(Float64Array.from(indices, (i) => plan.popularity[i]!)));
  }
  let largest = 0;
  for (let u = 0; u < users; u++) largest = Math.max(largest, plan.ratingsPerUser[u]!);
  const taken = new Int32Array(movies);
  const chosen = new Int32Array(largest);
  const movieIds = new Int32Array(largest);
  const ratings = new Float32Array(largest);
  const timestamps = new Uint32Array(largest);

  for (let u = 0; u < users; u++) {
    const stamp = u + 1;
    const count = plan.ratingsPerUser[u]!;
    const group = plan.userGroup[u]!;
    const own = groupMovies[group]!;
    const ownCdf = groupCdfs[group]!;
    for (let k = 0; k < count; k++) {
      let movie = -1;
      for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
        const candidate =
          own.length > 0 && random.next() < IN_GROUP_DRAW
            ? own[search(ownCdf, random.next() * ownCdf[own.length - 1]!)]!
            : search(globalCdf, random.next() * globalCdf[movies - 1]!);
        if (taken[candidate] !== stamp) {
          movie = candidate;
          break;
        }
      }
      if (movie < 0) {
        movie = random.int(movies);
        while (taken[movie] === stamp) movie = movie + 1 === movies ? 0 : movie + 1;
      }
      taken[movie] = stamp;
      chosen[k] = movie;
    }
    const sorted = chosen.subarray(0, count).sort();
    const bias = 0.35 * normal(random);
    const start = FIRST_TIMESTAMP + Math.floor(random.next() * (LAST_TIMESTAMP - FIRST_TIMESTAMP));
    const active = Math.min(
      LAST_TIMESTAMP - start,
      Math.floor(-Math.log(1 - random.next()) * MEAN_ACTIVE_SECONDS),
    );
    for (let k = 0; k < count; k++) {
      const movie = sorted[k]!;
      const taste = plan.movieGroup[movie] === group ? IN_GROUP_BONUS : OUT_GROUP_MALUS;
      const raw = BASE_RATING + plan.quality[movie]! + bias + taste + 0.7 * normal(random);
      movieIds[k] = plan.movieIds[movie]!;
      ratings[k] = Math.min(10, Math.max(1, Math.round(raw * 2))) / 2;
      timestamps[k] = start + Math.floor(random.next() * (active + 1));
    }
    visit({ userId: u + 1, group, count, movieIds, ratings, timestamps });
  }
}

const RATING_BYTES = Array.from({ length: 11 }, (_, i) => new TextEncoder().encode((i / 2).toFixed(1)));

/** Writes ratings.csv (header userId,movieId,rating,timestamp; LF) to the sink through one reusable buffer. */
export function writeSyntheticRatingsCsv(plan: SyntheticPlan, sink: ByteSink, bufferBytes?: number): void {
  const out = new CsvWriter(sink, bufferBytes);
  out.raw("userId,movieId,rating,timestamp\n");
  forEachSyntheticUser(plan, (user) => {
    for (let k = 0; k < user.count; k++) {
      out.uint(user.userId);
      out.byte(44);
      out.uint(user.movieIds[k]!);
      out.byte(44);
      out.bytes(RATING_BYTES[user.ratings[k]! * 2]!);
      out.byte(44);
      out.uint(user.timestamps[k]!);
      out.byte(10);
    }
  });
  out.flush();
}

/** The catalogue: titles with a year (some need CSV quotes: commas, doubled quotes) and `|`-joined genres. */
function syntheticMovies(plan: SyntheticPlan): Movie[] {
  const random = createRandom(plan.spec.seed ^ 0x5eed0003);
  return Array.from(plan.movieIds, (movieId) => {
    const adjective = ADJECTIVES[random.int(ADJECTIVES.length)]!;
    const noun = NOUNS[random.int(NOUNS.length)]!;
    const year = 1930 + random.int(90);
    const style = random.next();
    let title: string;
    if (style < 0.15) title = `${adjective} ${noun}, ${ARTICLES[random.int(ARTICLES.length)]} (${year})`;
    else if (style < 0.2) title = `The "${adjective}" ${noun} (${year})`;
    else title = `${adjective} ${noun} ${movieId} (${year})`;
    const genres: string[] = [];
    if (random.next() >= 0.01) {
      const wanted = 1 + random.int(3);
      while (genres.length < wanted) {
        const genre = GENRES[random.int(GENRES.length)]!;
        if (!genres.includes(genre)) genres.push(genre);
      }
    }
    return { movieId, title, genres };
  });
}

/** Writes movies.csv (header movieId,title,genres; RFC 4180 quoting; "(no genres listed)" for none). */
export function writeSyntheticMoviesCsv(plan: SyntheticPlan, sink: ByteSink): void {
  const out = new CsvWriter(sink, 1 << 20);
  out.raw("movieId,title,genres\n");
  for (const movie of syntheticMovies(plan)) {
    out.uint(movie.movieId);
    out.byte(44);
    out.field(movie.title);
    out.byte(44);
    out.field(movie.genres.length > 0 ? movie.genres.join("|") : "(no genres listed)");
    out.byte(10);
  }
  out.flush();
}

/** Writes planted-groups.csv (header userId,group): the true taste group of every user. */
export function writePlantedGroupsCsv(plan: SyntheticPlan, sink: ByteSink): void {
  const out = new CsvWriter(sink, 1 << 20);
  out.raw("userId,group\n");
  for (let u = 0; u < plan.userGroup.length; u++) {
    out.uint(u + 1);
    out.byte(44);
    out.uint(plan.userGroup[u]!);
    out.byte(10);
  }
  out.flush();
}

/** Generates a small dataset in memory as CSV text (test fixtures, sample data); same bytes as the files. */
export function generateDataset(spec: SyntheticSpec): SyntheticDataset {
  const plan = planSyntheticDataset(spec);
  const text = (write: (sink: ByteSink) => void): string => {
    const decoder = new TextDecoder();
    let result = "";
    write((bytes) => {
      result += decoder.decode(bytes, { stream: true });
    });
    return result + decoder.decode();
  };
  return {
    ratingsCsv: text((sink) => writeSyntheticRatingsCsv(plan, sink, 1 << 20)),
    moviesCsv: text((sink) => writeSyntheticMoviesCsv(plan, sink)),
    plantedGroupsCsv: text((sink) => writePlantedGroupsCsv(plan, sink)),
    plantedGroups: plan.userGroup.slice(),
    movies: syntheticMovies(plan),
  };
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
function shuffledRange(n: number, random: Random): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** Running sums of the weights. */
function cumulative(weights: Float64Array): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    out[i] = sum;
  }
  return out;
}

/** The first index whose running sum exceeds x (binary search). */
function search(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A standard normal draw (Box-Muller; one of the pair is used, which keeps the stream simple). */
function normal(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
