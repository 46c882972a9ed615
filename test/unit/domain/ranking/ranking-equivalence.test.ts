import { describe, expect, it } from "vitest";
import { createRandom } from "../../../../shared/domain/clustering/random.js";
import { type RankingInput, rankMovies } from "../../../../shared/domain/ranking/ranking.js";
import { referenceRankMovies } from "../../../helpers/reference-ranking.js";

/** A random ranking input over `movies` movie ids; small weights on a coarse grid so scores often tie. */
function randomInput(seed: number, movies: number): RankingInput {
  const random = createRandom(seed);
  const pick = () => 1 + random.int(movies);
  const clusters = Array.from({ length: random.int(4) }, (_, c) => ({
    clusterId: c,
    size: random.int(5) === 0 ? 0 : 1 + random.int(40),
    weight: random.int(6) / 5,
    counts: new Map(
      Array.from({ length: random.int(60) }, () => [pick(), random.int(8)] as [number, number]),
    ),
  }));
  const withBlend = random.int(4) !== 0;
  const of = new Map(
    Array.from({ length: random.int(12) }, () => {
      const length = random.int(50);
      return [
        pick(),
        {
          likedBy: random.int(30),
          neighbours: {
            movieIds: Array.from({ length }, pick),
            weights: Array.from({ length }, () => (random.int(9) - 3) / 4),
            together: Array.from({ length }, () => random.int(20)),
          },
        },
      ] as const;
    }),
  );
  const divisor = random.int(3) === 0 ? 1 + random.int(5) : undefined;
  const filtered = random.int(3) === 0;
  return {
    clusters,
    exclude: new Set(Array.from({ length: random.int(20) }, pick)),
    ...(filtered ? { accept: (movieId: number) => movieId % 3 !== 0 } : {}),
    ...(withBlend
      ? { neighbours: { weight: random.int(5) / 2, of, ...(divisor === undefined ? {} : { divisor }) } }
      : {}),
    ...(random.int(5) === 0 ? { groupWeight: random.int(3) } : {}),
    limit: 1 + random.int(30),
    offset: random.int(4) === 0 ? random.int(300) : random.int(5),
  };
}

describe("rankMovies against its plain reference", () => {
  it("gives exactly the same movies, order, scores and reasons on 3,000 random inputs", () => {
    for (let seed = 1; seed <= 3_000; seed++) {
      const input = randomInput(seed, seed % 2 === 0 ? 40 : 400);
      expect(rankMovies(input), `seed ${seed}`).toEqual(referenceRankMovies(input));
    }
  });

  it("pages deep into a long list the same way (the full-sort path)", () => {
    const input = { ...randomInput(7, 2_000), limit: 100, offset: 250 };
    const many = {
      ...input,
      clusters: [
        {
          clusterId: 0,
          size: 50,
          weight: 1,
          counts: new Map(Array.from({ length: 1_500 }, (_, i) => [i + 1, 1 + (i % 7)] as [number, number])),
        },
      ],
    };
    const ranked = rankMovies(many);
    expect(ranked).toHaveLength(100);
    expect(ranked).toEqual(referenceRankMovies(many));
  });
});
