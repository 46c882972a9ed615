/**
 * Movie titles as people type them: MovieLens writes "Matrix, The (1999)" and "City of Lost Children, The
 * (Cité des enfants perdus, La) (1995)"; people type "the matrix", "matrix 1999" or "cite des enfants".
 * These functions split a stored title into its names and year, and reduce any name or query to one
 * comparable key (no case, accents, punctuation or leading article).
 */

/** Articles MovieLens moves to the end of a title ("Matrix, The"), in the languages its titles use. */
const ARTICLES = new Set([
  "the",
  "a",
  "an",
  "les",
  "la",
  "le",
  "l'",
  "el",
  "los",
  "las",
  "il",
  "lo",
  "gli",
  "i",
  "der",
  "die",
  "das",
  "den",
  "det",
  "de",
  "het",
  "een",
  "un",
  "une",
  "uno",
  "una",
  "o",
  "os",
  "as",
  "en",
  "ett",
]);

/** A stored title taken apart. */
export interface TitleParts {
  /** The main name with its article in front: "The Matrix". */
  readonly name: string;
  /** Names in trailing parentheses (original or English titles, "a.k.a." names), articles in front. */
  readonly alternatives: readonly string[];
  /** The year in the trailing "(1999)", or null when the title has none. */
  readonly year: number | null;
}

const YEAR_SUFFIX = /\(\s*(\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\s*\)\s*$/;
const PAREN_SUFFIX = /\s*\(([^()]*)\)\s*$/;

/** "Matrix, The" -> "The Matrix"; a name without a trailing article is returned as it is. */
function articleFirst(name: string): string {
  const match = /^(.*\S),\s*([^\s,]+)$/.exec(name.trim());
  if (!match || !ARTICLES.has(match[2]!.toLowerCase())) return name.trim();
  const article = match[2]!;
  return article.endsWith("'") ? `${article}${match[1]}` : `${article} ${match[1]}`;
}

/** Splits a MovieLens title into its main name, alternative names and year. */
export function parseTitle(title: string): TitleParts {
  let rest = title.trim();
  let year: number | null = null;
  const yearMatch = YEAR_SUFFIX.exec(rest);
  if (yearMatch) {
    year = Number(yearMatch[1]);
    rest = rest.slice(0, yearMatch.index).trim();
  }
  const alternatives: string[] = [];
  for (let match = PAREN_SUFFIX.exec(rest); match && match.index > 0; match = PAREN_SUFFIX.exec(rest)) {
    const inner = match[1]!.replace(/^a\.k\.a\.\s*/i, "").trim();
    if (inner.length > 0) alternatives.unshift(articleFirst(inner));
    rest = rest.slice(0, match.index).trim();
  }
  return { name: articleFirst(rest), alternatives, year };
}

/**
 * The comparable key of a name or query: accents removed (NFKD), lower case, "&" read as "and", apostrophes
 * dropped ("don't" = "dont"), other punctuation as spaces, one leading article dropped ("the matrix" =
 * "matrix"), spaces collapsed.
 */
export function titleKey(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter((word) => word.length > 0);
  if (words.length > 1 && ARTICLES.has(words[0]!)) words.shift();
  return words.join(" ");
}

/** A search query taken apart: its key and the year it names at the end ("toy story (1995)"), if any. */
export interface TitleQuery {
  readonly key: string;
  readonly year: number | null;
}

/**
 * Reads a query as a title: "Matrix, The (1999)", "the matrix 1999" and "matrix" all have key "matrix".
 * With `year: false` a trailing number stays part of the key ("blade runner 2049").
 */
export function parseQuery(query: string, options: { readonly year: boolean } = { year: true }): TitleQuery {
  let text = query.trim();
  let year: number | null = null;
  const match = options.year ? /[\s(]+(1[89]\d\d|2[01]\d\d)\s*\)?\s*$/.exec(` ${text}`) : null;
  if (match && match.index > 0) {
    year = Number(match[1]);
    text = ` ${text}`.slice(0, match.index).trim();
  }
  return { key: titleKey(articleFirst(text)), year };
}
