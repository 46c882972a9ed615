/**
 * The candidate movies of one ranking (rankMovies) and their running figures, in typed arrays that are kept
 * and reused from one call to the next.
 *
 * Hand-written rather than Maps of objects because of what it measured: at `npm run bench:api`'s shape (3
 * taste groups x 100 counts, 35 favourites x 200 neighbours) the Map-and-object ranking allocated about 2.2 MB
 * per call (a boxed number per score update, an object per candidate's best favourite, a [movieId, score]
 * pair per candidate to sort). At 50 requests a second that is a young-generation collection every few
 * requests, and the slowest 1% of requests were the ones a collection landed on. This table allocates
 * nothing once it has grown to the largest ranking seen.
 */

/** Flags of a candidate. */
export const IN_GROUP = 1;
/** A favourite's list names it with a positive weight: it has a best favourite (bestFavourite...). */
export const HAS_BEST = 2;

const EMPTY = 0;

/** An open-addressing table movieId -> slot, with per-slot figures; `reset` empties it in O(1). */
export class CandidateTable {
  /** Slots in use: 0..size-1, in first-seen order. */
  size = 0;
  movieIds = new Int32Array(0);
  flags = new Uint8Array(0);
  /** The group part (membership-weighted shares), summed in cluster order. */
  group = new Float64Array(0);
  /** The neighbour part (signed weights), summed in favourite order. */
  near = new Float64Array(0);
  /** With HAS_BEST: the favourite contributing the largest positive weight, and its figures. */
  bestWeight = new Float64Array(0);
  bestFavourite = new Int32Array(0);
  bestTogether = new Int32Array(0);
  bestLikedBy = new Int32Array(0);

  private keys = new Int32Array(0);
  private slots = new Int32Array(0);
  /** A hash cell is in use when its stamp equals the current generation. */
  private stamps = new Uint32Array(0);
  private generation = EMPTY;
  private mask = 0;

  /** Empties the table and makes room for at least `expected` distinct movies. */
  reset(expected: number): void {
    const capacity = Math.max(16, expected);
    if (capacity > this.movieIds.length) this.grow(capacity);
    this.size = 0;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === EMPTY) {
      this.stamps.fill(EMPTY);
      this.generation = 1;
    }
  }

  /** The slot of `movieId`, added with zero figures when new. */
  slotOf(movieId: number): number {
    let cell = Math.imul(movieId, 0x9e3779b1) >>> 0;
    for (;;) {
      cell &= this.mask;
      if (this.stamps[cell] !== this.generation) {
        const slot = this.size++;
        this.stamps[cell] = this.generation;
        this.keys[cell] = movieId;
        this.slots[cell] = slot;
        this.movieIds[slot] = movieId;
        this.flags[slot] = 0;
        this.group[slot] = 0;
        this.near[slot] = 0;
        this.bestWeight[slot] = 0;
        this.bestFavourite[slot] = 0;
        this.bestTogether[slot] = 0;
        this.bestLikedBy[slot] = 0;
        return slot;
      }
      if (this.keys[cell] === movieId) return this.slots[cell]!;
      cell++;
    }
  }

  private grow(capacity: number): void {
    this.movieIds = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.group = new Float64Array(capacity);
    this.near = new Float64Array(capacity);
    this.bestWeight = new Float64Array(capacity);
    this.bestFavourite = new Int32Array(capacity);
    this.bestTogether = new Int32Array(capacity);
    this.bestLikedBy = new Int32Array(capacity);
    // At most half full, so probes stay short.
    let cells = 32;
    while (cells < capacity * 2) cells *= 2;
    this.keys = new Int32Array(cells);
    this.slots = new Int32Array(cells);
    this.stamps = new Uint32Array(cells);
    this.generation = EMPTY;
    this.mask = cells - 1;
  }
}
