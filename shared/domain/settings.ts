/**
 * Every tunable of cinecluster, declared once: what it means and why it has this value. This is the single
 * source of production's defaults:
 * - shared/config.ts reads environment overrides of them (CINECLUSTER_K, ...), falling back to these;
 * - infra/settings.ts (and cdk.json, kept equal by test/infra/settings.test.ts) deploys them;
 * - the domain functions default to them (trainModel, kmeans, selectK, itemNeighbours, the ratings parser);
 * - the CLIs (`npm run train`, `elbow`, `evaluate`) default to them, so `npm run evaluate` with no options
 *   measures exactly what production trains and serves (PRODUCTION_SETTINGS in evaluation/tuning.ts is built
 *   from these; test/unit/domain/settings.test.ts proves the trained models and rankings equal).
 * Change a value here, with the measurement that justifies it in docs/evaluation.md.
 */

/** How a training run turns ratings into taste groups. */
export const TRAINING_DEFAULTS = {
  /**
   * Number of taste groups: "auto" chooses k at each run by the knee of the WCSS curve over `kRange`, so
   * production adapts to its data. On ml-latest-small the knee (k = 7-9) scores test NDCG@10 0.2182 against
   * 0.2197 at the validation-chosen k = 10, within the seed spread (docs/evaluation.md).
   */
  k: "auto",
  /** Inclusive range of k the automatic choice sweeps. 30 bounds the sweep's cost (one k-means per k). */
  kRange: [2, 30],
  /** Training seed: the same data and seed give the same model. */
  seed: 42,
  /** Cosine k-means (L2-normalised rows): test NDCG@10 0.1804 against 0.1471 for Euclidean on binary rows. */
  geometry: "cosine",
  /** Clusters with fewer members are folded into their nearest neighbours: too few to rank from. */
  minClusterSize: 6,
  /** Independent k-means++ starts of the final fit; the lowest inertia wins. */
  restarts: 4,
  /** Cap on Lloyd updates per restart. */
  maxIterations: 100,
  /** Stop when an update lowers the inertia by at most this share of it. */
  tolerance: 1e-4,
  /** Soft membership: each user ranks from their 3 nearest groups (+0.02 NDCG@10 over one group). */
  membershipWidth: 3,
  /** Membership weights (1/d^2)^8: favours the nearest group strongly; chosen on validation over 1. */
  membershipSharpness: 8,
  /** A rating at or above this is a favourite (MovieLens: 4 of 5 stars). */
  favouriteThreshold: 4,
  /** A ratings file with more than this share of malformed rows fails the run rather than train on it. */
  maxBadShare: 0.01,
  /**
   * Item neighbours for the ranking's blend, chosen on ml-latest-small's validation folds
   * (docs/evaluation.md): 200 per movie by largest |weight|, signed EASE weights (lambda 200) among the 1,000
   * most favourited movies, rp3beta (alpha 0.5, beta 0.5) / row maximum x 0.25 for every other pair.
   * Validation NDCG@10 0.2018 / 0.1500 (random / temporal) against 0.2002 / 0.1431 for the 100 positive
   * EASE + rp3beta neighbours it replaced.
   */
  neighbours: {
    perMovie: 200,
    similarity: {
      kind: "ease-signed",
      alpha: 0.5,
      beta: 0.5,
      lambda: 200,
      easeMovies: 1_000,
      rp3Share: 0.25,
    },
  },
  /** The sweep behind k = "auto": cheaper fits than the final one, on a sample of users. */
  sweep: {
    /** "knee" of the WCSS curve (validated); "silhouette" is the alternative rule. */
    rule: "knee",
    /** Restarts per k; the restarts' own knees are compared to rate the confidence. */
    restarts: 2,
    /** Lloyd updates per k. */
    maxIterations: 20,
    /** Users clustered per k (a seeded sample when there are more). */
    maxUsers: 20_000,
    /** Users in the silhouette sample reported beside the WCSS. */
    silhouetteSize: 1_000,
  },
} as const;

/** How much of a trained model goes into a stored version, and how fast it is written. */
export const PUBLISHING_DEFAULTS = {
  /** Per (version, cluster), only the top-N movie counts are stored: serving reads at most candidatePool. */
  clusterTopN: 2_000,
  /** IMDb weighted rating: minimum number of ratings `m` a movie needs to count fully on the popular list. */
  popularMinVotes: 50,
  /** Movies kept in a version's popular list (the API pages through it). */
  popularListSize: 500,
  /** Complete model versions kept (the active one included) with their reports, for rollback. */
  versionsKept: 3,
  /** Parallel BatchWriteItem calls while a version is written (5-6k items/s with 2-4 here). */
  writeConcurrency: 4,
  /**
   * The plausibility gate (publishing/plausibility.ts): a new model needs half of the active model's users
   * with favourites, favourites and rated movies, and two taste groups, or a truncated upload would replace
   * a good model.
   */
  plausibility: { minUserShare: 0.5, minFavouriteShare: 0.5, minMovieShare: 0.5, minK: 2 },
} as const;

/** How recommendations are served from a published version. */
export const SERVING_DEFAULTS = {
  /** Movies read per cluster (top-N by count) as recommendation candidates. */
  candidatePool: 100,
  /**
   * Weight of the item-neighbour blend in rankMovies against 1 for the groups (0: groups alone); 32 chosen on
   * validation over 8 (0.2018 / 0.1500 against 0.2008 / 0.1476, random / temporal).
   */
  neighbourWeight: 32,
  /**
   * POST /recommendations' ranking: the placed groups (weights summing to 1) with everyone's counts beside
   * them at picksEveryoneWeight, scaled to max 1, plus picksNeighbourWeight x the picks' neighbour similarity
   * divided by the number of picks, plus picksGenreWeight x the genre match (0 to 1). Chosen on the validation
   * split of ml-latest-small over five training seeds (docs/api.md): NDCG@10 0.0883 / 0.0938 (3 / 5 picks)
   * against MostPopular's 0.0800 / 0.0817 and 0.0733 / 0.0818 for the neighbours alone at 1.5, and Toy Story,
   * Finding Nemo and Up still give 6-8 animation or children's films in the top 10 (2 for the groups alone).
   */
  picksNeighbourWeight: 0.25,
  picksEveryoneWeight: 0.5,
  picksGenreWeight: 0.5,
  /** How the picks' neighbour part is scaled before blending: "mean" divides it by the number of picks,
   * "max" by its maximum over the candidates (which inflates the thin lists of a few picks). */
  picksNeighbourScale: "mean" as "mean" | "max",
  /** Milliseconds a storage call may take before the request answers 503 (API Gateway waits 30 s; the API
   * Lambda timeout, 10 s, sits above it). */
  storeDeadlineMs: 3_000,
} as const;
