/**
 * The single-table layout: every key the adapters read or write is built here, and every key read back is
 * parsed here, so the layout is in one place (docs/data-model.md describes it).
 */

/** Number of partitions favourites and per-version user lists are spread over. */
export const SHARDS = 16;

const pad = (n: number): string => String(n).padStart(10, "0");

/** Partition of model-wide items: the pointer, the lock, version metadata. */
export const MODEL_PK = "MODEL";
/** Sort key of the one active-model pointer item. */
export const POINTER_SK = "POINTER";
/** Sort key of the training lock item. */
export const LOCK_SK = "LOCK";
/** Sort key prefix of version metadata items. */
export const VERSION_SK_PREFIX = "VERSION#";

/** Key of a version's metadata item. */
export function versionKey(version: string): { pk: string; sk: string } {
  return { pk: MODEL_PK, sk: `${VERSION_SK_PREFIX}${version}` };
}

/** Reads the version back from a version metadata item's sort key. */
export function versionOfVersionSk(sk: string): string {
  return sk.slice(VERSION_SK_PREFIX.length);
}

const MOVIE_PK_PREFIX = "MOVIE#";

/** Key of a movie's catalogue item (version-independent). */
export function movieKey(movieId: number): { pk: string; sk: string } {
  return { pk: `${MOVIE_PK_PREFIX}${movieId}`, sk: "MOVIE" };
}

/** Reads the movie id back from a catalogue item's partition key. */
export function movieIdOfMoviePk(pk: string): number {
  return Number(pk.slice(MOVIE_PK_PREFIX.length));
}

/** Partition holding all of a user's per-version items (trained cluster and favourites, or placement). */
export function userPk(userId: number): string {
  return `USER#${userId}`;
}

/** Sort key of a user's item in one version. */
export function userVersionSk(version: string): string {
  return `${USER_VERSION_SK_PREFIX}${version}`;
}

/** Reads the version back from a user's per-version sort key. */
export function versionOfUserVersionSk(sk: string): string {
  return sk.slice(USER_VERSION_SK_PREFIX.length);
}

/** GSI partition listing a version's user items (for cleanup), sharded by user. */
export function versionUsersGsiPk(version: string, userId: number): string {
  return `V#${version}#USERS#${userId % SHARDS}`;
}

/** The same GSI partition by shard number. */
export function versionUsersShardPk(version: string, shard: number): string {
  return `V#${version}#USERS#${shard}`;
}

/** Cluster id used for the global (all users) counts. */
export const GLOBAL = "G";

const CLUSTER_MARK = "#C#";
const MOVIE_SK_PREFIX = "M#";

/** Partition (and GSI partition) of a cluster's movie counts in one version; cluster GLOBAL is everyone. */
export function countPk(version: string, cluster: number | typeof GLOBAL): string {
  return `V#${version}${CLUSTER_MARK}${cluster}`;
}

/** Reads the cluster back from a count partition key (GLOBAL for the global counts). */
export function clusterOfCountPk(pk: string): number | typeof GLOBAL {
  const cluster = pk.slice(pk.lastIndexOf(CLUSTER_MARK) + CLUSTER_MARK.length);
  return cluster === GLOBAL ? GLOBAL : Number(cluster);
}

/** Sort key of a movie within a count partition. */
export function movieSk(movieId: number): string {
  return `${MOVIE_SK_PREFIX}${pad(movieId)}`;
}

/** Reads the movie id back from a count item's sort key. */
export function movieIdOfSk(sk: string): number {
  return Number(sk.slice(MOVIE_SK_PREFIX.length));
}

/** Partition of a version's small items: popular list, cluster profiles. */
export function versionPk(version: string): string {
  return `V#${version}`;
}
/** Sort key of a version's popular list. */
export const POPULAR_SK = "POPULAR";

/** Sort key of a cluster's profile within a version. */
export function clusterSk(clusterId: number): string {
  return `${CLUSTER_SK_PREFIX}${pad(clusterId)}`;
}

/** Reads the cluster id back from a cluster profile's sort key. */
export function clusterIdOfSk(sk: string): number {
  return Number(sk.slice(CLUSTER_SK_PREFIX.length));
}

/** Partition of API-recorded favourites, sharded by user so a training run can read them all consistently. */
export function favouritePk(userId: number): string {
  return `FAVS#${userId % SHARDS}`;
}

/** Partition of favourites by shard number. */
export function favouriteShardPk(shard: number): string {
  return `FAVS#${shard}`;
}

/** Prefix of one user's favourites within their shard; ids are padded so the prefix is exact and ordered. */
export function favouriteUserPrefix(userId: number): string {
  return `U#${pad(userId)}#M#`;
}

/** Sort key of one API-recorded favourite. */
export function favouriteSk(userId: number, movieId: number): string {
  return `${favouriteUserPrefix(userId)}${pad(movieId)}`;
}

/** Sort key prefix of a version's catalogue chunks (compressed movie lists, read whole per container). */
export const CATALOGUE_SK_PREFIX = "CATALOGUE#";

/** Sort key of one catalogue chunk of a version. */
export function catalogueSk(chunk: number): string {
  return `${CATALOGUE_SK_PREFIX}${String(chunk).padStart(5, "0")}`;
}

/** Sort key prefix of a version's cluster profiles (one query lists every cluster). */
export const CLUSTER_SK_PREFIX = "CLUSTER#";

/** Sort key of a version's genre list with counts. */
export const GENRES_SK = "GENRES";

/** Sort key of a version's k-selection chart (SVG), served by GET /model/k-selection.svg. */
export const CHART_SK = "KCHART";
/** Key of the item linking a sign-in subject (a token's `sub`) to its user id. */
export function accountKey(subject: string): { pk: string; sk: string } {
  return { pk: `ACCOUNT#${subject}`, sk: "ACCOUNT" };
}

/** Key of the item claiming a user id for one subject, so no two subjects ever share an id. */
export function accountOwnerKey(userId: number): { pk: string; sk: string } {
  return { pk: `OWNER#${userId}`, sk: "OWNER" };
}

/** Key of the counter new accounts' user ids are allocated from (ADD 1 per account). */
export const ACCOUNT_COUNTER_KEY = { pk: "ACCOUNTS", sk: "COUNTER" } as const;

/** Sort key prefix of a user's dismissed movies, in the user's partition (read by the same Query). */
export const DISMISSED_SK_PREFIX = "DISMISSED#";

/** Sort key of one dismissed movie ("seen it / not interested") in the user's partition. */
export function dismissedSk(movieId: number): string {
  return `${DISMISSED_SK_PREFIX}${pad(movieId)}`;
}

/** Reads the movie id back from a dismissed movie's sort key. */
export function movieIdOfDismissedSk(sk: string): number {
  return Number(sk.slice(DISMISSED_SK_PREFIX.length));
}

/** Sort key prefix of a user's per-version items in the user's partition. */
export const USER_VERSION_SK_PREFIX = "MODEL#";
