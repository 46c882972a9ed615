import { Duration } from "aws-cdk-lib";
import { TRAINING_DEFAULTS } from "../shared/domain/settings.js";

/**
 * The deploy-time settings of the stack, read from CDK context (`cdk.json` "context", or `-c key=value`
 * on the command line). Every setting has a default, declared here (the training ones come from
 * shared/domain/settings.ts) and mirrored in cdk.json (a test keeps the two equal). Command-line values arrive
 * as strings, cdk.json values as JSON; both are accepted.
 */

/** Thrown at synth when a context value is malformed; names the context key. */
export class ContextSettingError extends Error {
  override readonly name = "ContextSettingError";
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`context "${key}": ${message}`);
  }
}

/** Settings of one deployment of the stack. */
export interface StackSettings {
  /** Deployment name (lower-case letters, digits, dashes) in the stack name; "prod" retains the table. */
  readonly stage: string;
  /** Number of taste clusters, or "auto" to choose it at each training run. */
  readonly k: number | "auto";
  readonly seed: number;
  /** Ratings at or above this count as favourites (0.5..5). */
  readonly favouriteThreshold: number;
  /** Clusters with fewer members are folded into others. */
  readonly minClusterSize: number;
  /** How often the scheduled retraining runs ("1 day", "12 hours", "30 minutes"). */
  readonly trainingRate: Duration;
  /** Object keys, in the bucket, of the ratings and movies CSV files the training reads. */
  readonly ratingsKey: string;
  readonly moviesKey: string;
  /**
   * Origins of the web page: allowed by CORS (never "*": personal routes carry tokens), and `<origin>/` is
   * where Cognito's sign-in may send the browser back (OAuth callback and sign-out URLs).
   */
  readonly corsOrigins: readonly string[];
  /** Sign-in requests (Cognito user pool) one IP address may make per 5 minutes (AWS WAF rate rule). */
  readonly signInRateLimit: number;
  /** HTTP API stage throttling: steady requests per second and burst. */
  readonly throttleRate: number;
  readonly throttleBurst: number;
  /** Retention of every log group, in days. */
  readonly logRetentionDays: number;
  /** Where alarm notifications are e-mailed; none when empty. */
  readonly alarmEmail: string;
  /** A route's p99 latency (milliseconds, 5-minute windows) above this alarms. */
  readonly latencyAlarmMs: number;
}

/**
 * The context keys and their defaults (cdk.json holds the same values). The training ones are production's
 * defaults from shared/domain/settings.ts, so a deploy trains exactly what `npm run evaluate` measures.
 */
export const CONTEXT_DEFAULTS = {
  stage: "dev",
  k: TRAINING_DEFAULTS.k,
  seed: TRAINING_DEFAULTS.seed,
  favouriteThreshold: TRAINING_DEFAULTS.favouriteThreshold,
  minClusterSize: TRAINING_DEFAULTS.minClusterSize,
  trainingRate: "1 day",
  ratingsKey: "input/ratings.csv",
  moviesKey: "input/movies.csv",
  corsOrigins: ["http://localhost:3000"],
  signInRateLimit: 100,
  throttleRate: 50,
  throttleBurst: 100,
  logRetentionDays: 30,
  alarmEmail: "",
  latencyAlarmMs: 1000,
} as const;

type ContextKey = keyof typeof CONTEXT_DEFAULTS;

/** Where settings are read from: a construct's node (`app.node`), or anything with the same lookup. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];

/** Longest training rate: the "no successful run" alarm spans two periods, and CloudWatch allows 7 days. */
const MAX_RATE_MINUTES = 3 * 24 * 60;
/** Shortest training rate: a run may take up to the 15-minute Lambda limit. */
const MIN_RATE_MINUTES = 15;

function raw(node: ContextSource, key: ContextKey): unknown {
  const value: unknown = node.tryGetContext(key);
  return value === undefined ? CONTEXT_DEFAULTS[key] : value;
}

function text(node: ContextSource, key: ContextKey): string {
  const value = raw(node, key);
  if (typeof value !== "string")
    throw new ContextSettingError(key, `expected a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function number(node: ContextSource, key: ContextKey, check: (n: number) => boolean, rule: string): number {
  const value = raw(node, key);
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || !check(n)) {
    throw new ContextSettingError(key, `expected ${rule}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function isPositiveInteger(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

function readK(node: ContextSource): number | "auto" {
  const value = raw(node, "k");
  if (value === "auto") return "auto";
  return number(node, "k", (n) => Number.isInteger(n) && n >= 2, '"auto" or an integer of at least 2');
}

/** Parses "N minute(s)|hour(s)|day(s)" into a Duration within the limits the schedule and its alarm allow. */
export function parseTrainingRate(value: string): Duration {
  const match = /^(\d+)\s*(minute|hour|day)s?$/.exec(value.trim());
  if (!match) {
    throw new ContextSettingError(
      "trainingRate",
      `expected "N minutes", "N hours" or "N days", got "${value}"`,
    );
  }
  const amount = Number(match[1]);
  const minutes = amount * { minute: 1, hour: 60, day: 1440 }[match[2] as "minute" | "hour" | "day"];
  if (minutes < MIN_RATE_MINUTES || minutes > MAX_RATE_MINUTES) {
    throw new ContextSettingError("trainingRate", `must be between 15 minutes and 3 days, got "${value}"`);
  }
  return Duration.minutes(minutes);
}

/** An origin Cognito accepts as a callback: https, or http on localhost; scheme, host and port only. */
const ORIGIN = /^(https:\/\/[a-z0-9.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/;

function readCorsOrigins(node: ContextSource): readonly string[] {
  const value = raw(node, "corsOrigins");
  const list = typeof value === "string" ? value.split(",").map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string" && s !== "")) {
    throw new ContextSettingError("corsOrigins", `expected a list of origins, got ${JSON.stringify(value)}`);
  }
  for (const origin of list as string[]) {
    if (!ORIGIN.test(origin)) {
      throw new ContextSettingError(
        "corsOrigins",
        `expected origins like https://films.example or http://localhost:3000 (never "*"), got "${origin}"`,
      );
    }
  }
  return list as string[];
}

function key(node: ContextSource, name: "ratingsKey" | "moviesKey"): string {
  const value = text(node, name);
  if (value === "" || value.startsWith("/") || value.includes("*")) {
    throw new ContextSettingError(name, `expected an S3 key without a leading "/" or "*", got "${value}"`);
  }
  return value;
}

/** Reads and validates every setting from the construct's context, defaults filling what is not set. */
export function readSettings(node: ContextSource): StackSettings {
  const stage = text(node, "stage");
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new ContextSettingError("stage", `expected lower-case letters, digits and dashes, got "${stage}"`);
  }
  const alarmEmail = text(node, "alarmEmail");
  if (alarmEmail !== "" && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    throw new ContextSettingError("alarmEmail", `expected an e-mail address or "", got "${alarmEmail}"`);
  }
  const throttleRate = number(node, "throttleRate", isPositiveInteger, "a positive integer");
  const throttleBurst = number(node, "throttleBurst", isPositiveInteger, "a positive integer");
  return {
    stage,
    k: readK(node),
    seed: number(node, "seed", Number.isInteger, "an integer"),
    favouriteThreshold: number(node, "favouriteThreshold", (n) => n >= 0.5 && n <= 5, "a number in 0.5..5"),
    minClusterSize: number(node, "minClusterSize", isPositiveInteger, "a positive integer"),
    trainingRate: parseTrainingRate(text(node, "trainingRate")),
    ratingsKey: key(node, "ratingsKey"),
    moviesKey: key(node, "moviesKey"),
    corsOrigins: readCorsOrigins(node),
    signInRateLimit: number(
      node,
      "signInRateLimit",
      (n) => Number.isInteger(n) && n >= 10 && n <= 2_000_000_000,
      "an integer from 10 (AWS WAF's lowest rate limit)",
    ),
    throttleRate,
    throttleBurst,
    logRetentionDays: number(
      node,
      "logRetentionDays",
      (n) => LOG_RETENTION_DAYS.includes(n),
      `one of ${LOG_RETENTION_DAYS.join(", ")}`,
    ),
    alarmEmail,
    latencyAlarmMs: number(
      node,
      "latencyAlarmMs",
      (n) => Number.isInteger(n) && n >= 10 && n <= 30_000,
      "an integer from 10 to 30000 (milliseconds)",
    ),
  };
}
