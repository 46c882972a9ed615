/**
 * The sentence a person reads next to a recommendation, and the favourite it names. Both recommendation
 * routes (a user's, and one from picks) explain with it, so their reasons read alike.
 */

import { parseTitle } from "../catalogue/titles.js";
import { EVERYONE, type RankedMovie } from "./ranking.js";

/** How a reason names the groups and favourites it speaks of. */
export interface ReasonNames {
  /** The group the person belongs to (the strongest membership, or the one closest to the picks). */
  readonly ownClusterId: number;
  /** Words for that group: "your taste group", "the taste group closest to your picks". */
  readonly ownGroup: string;
  /** The stored title of a favourite or pick ("Alien (1979)"); the reason uses its name ("Alien"). */
  readonly titleOf: (movieId: number) => string | undefined;
}

/** A reason, and the favourite it names when the neighbour blend ranked the movie. */
export interface Explanation {
  readonly reason: string;
  readonly similarTo?: { readonly movieId: number; readonly title: string };
}

const people = (n: number): string => (n === 1 ? "person" : "people");

/**
 * Explains a ranked movie from its real counts. When a favourite's neighbours led to it, the reason names
 * that favourite by title: "because you liked Alien: 45 of the 61 people who liked it also liked this".
 * When a group counted it, the group follows: "liked by 28 of the 41 people in your taste group", where only
 * the person's own group is called theirs and any other is "a neighbouring taste group" (its size is the
 * "41"), and everyone's counts read "liked by 215 of all 610 people". Both parts, joined by "; ", when both
 * hold; a movie only the neighbours brought gives no group count.
 */
export function explain(movie: RankedMovie, names: ReasonNames): Explanation {
  const parts: string[] = [];
  let similarTo: Explanation["similarTo"];
  if (movie.similarTo !== undefined) {
    const title = names.titleOf(movie.similarTo) ?? "";
    const name = parseTitle(title).name || `movie ${movie.similarTo}`;
    const both = movie.because;
    parts.push(
      both === undefined || both.together <= 0
        ? `because you liked ${name}`
        : `because you liked ${name}: ${both.together} of the ${both.likedBy} ${people(both.likedBy)} who liked it also liked this`,
    );
    similarTo = { movieId: movie.similarTo, title };
  }
  if (movie.likedBy > 0 || parts.length === 0) {
    if (movie.clusterId === EVERYONE) {
      parts.push(`liked by ${movie.likedBy} of all ${movie.groupSize} ${people(movie.groupSize)}`);
    } else {
      const where = movie.clusterId === names.ownClusterId ? names.ownGroup : "a neighbouring taste group";
      parts.push(
        `liked by ${movie.likedBy} of the ${movie.groupSize} ${people(movie.groupSize)} in ${where}`,
      );
    }
  }
  return { reason: parts.join("; "), ...(similarTo === undefined ? {} : { similarTo }) };
}
