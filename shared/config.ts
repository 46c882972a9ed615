import * as z from "zod/mini";
import { ConfigError } from "./domain/errors.js";
import { DEFAULT_PLAUSIBILITY, type PlausibilityPolicy } from "./domain/publishing/plausibility.js";
import { PUBLISHING_DEFAULTS, SERVING_DEFAULTS, TRAINING_DEFAULTS } from "./domain/settings.js";
import { ENV } from "./env-names.js";

/**
 * The only reader of process.env. Each function loads its config once, at cold start; a missing or malformed
 * variable throws a ConfigError naming it. Tunables fall back to their defaults in shared/domain/settings.ts
 * (declared once there, with their reasons); nothing else has a default.
 */

/** Where the table is and how to reach DynamoDB (endpoint override for DynamoDB Local). */
export interface StoreConfig {
  readonly tableName: string;
  readonly dynamoEndpoint: string | undefined;
  readonly region: string;
}

/** What the API functions need. */
export interface ApiConfig extends StoreConfig {
  readonly candidatePool: number;
  readonly neighbourWeight: number;
  /** Each storage call of a request answers within this or the request gets 503 + Retry-After. */
  readonly storeDeadlineMs: number;
}

/** What a training run needs (read by the training function and `npm start`). */
export interface TrainConfig extends StoreConfig {
  readonly bucketName: string;
  readonly ratingsKey: string;
  readonly moviesKey: string;
  readonly s3Endpoint: string | undefined;
  readonly k: number | "auto";
  readonly seed: number;
  readonly favouriteThreshold: number;
  readonly minClusterSize: number;
  readonly clusterTopN: number;
  readonly popularMinVotes: number;
  readonly popularListSize: number;
  readonly writeConcurrency: number;
  /** The gate a new model passes before it replaces the active one. */
  readonly plausibility: PlausibilityPolicy;
  readonly versionsKept: number;
}

/** What the administrative function needs: the table, and the training function it starts. */
export interface AdminConfig extends StoreConfig {
  readonly trainFunctionName: string;
  /** Lambda API endpoint override (tests); absent: AWS. */
  readonly lambdaEndpoint: string | undefined;
}

/** What personal routes need to check a caller's token claims (shared/http/caller.ts). */
export interface AuthConfig {
  /** The user pool's issuer URL, as in the tokens' `iss`. */
  readonly issuer: string;
  /** App clients whose access tokens are accepted. */
  readonly clientIds: readonly string[];
}

/** How an API function reports itself (shared/http/powertools-telemetry.ts). */
export interface TelemetryConfig {
  /** Running in Lambda (`AWS_LAMBDA_FUNCTION_NAME` is set): EMF metrics are written; locally they are not. */
  readonly inLambda: boolean;
  /** X-Ray tracing of the handler and the DynamoDB client; only the stack turns it on. */
  readonly tracing: boolean;
  readonly logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
}

/** Environment as a plain record, so tests can pass their own. */
export type Environment = Readonly<Record<string, string | undefined>>;

const required = z.string("is required").check(z.trim(), z.minLength(1, "is required"));
const optionalUrl = z.optional(z.url("must be a URL"));
const numberText = (pattern: RegExp, message: string) =>
  z.pipe(z.string().check(z.regex(pattern, message)), z.transform(Number));
const share = (fallback: number) =>
  z._default(
    numberText(/^(0(\.\d+)?|1(\.0+)?)$/, "must be a share from 0 to 1 (0 turns the rule off)"),
    fallback,
  );
const positiveInt = (fallback: number) =>
  z._default(numberText(/^[1-9]\d{0,8}$/, "must be a positive integer"), fallback);

const storeShape = {
  [ENV.tableName]: required,
  [ENV.dynamoEndpoint]: optionalUrl,
  AWS_REGION: z._default(z.string().check(z.minLength(1)), "us-east-1"),
};

const apiSchema = z.object({
  ...storeShape,
  [ENV.candidatePool]: positiveInt(SERVING_DEFAULTS.candidatePool),
  [ENV.storeDeadlineMs]: positiveInt(SERVING_DEFAULTS.storeDeadlineMs),
  [ENV.neighbourWeight]: z._default(
    numberText(/^\d{1,3}(\.\d+)?$/, "must be a number from 0 to 100"),
    SERVING_DEFAULTS.neighbourWeight,
  ),
});

const trainSchema = z.object({
  ...storeShape,
  [ENV.bucketName]: required,
  [ENV.ratingsKey]: required,
  [ENV.moviesKey]: required,
  [ENV.s3Endpoint]: optionalUrl,
  [ENV.k]: z._default(
    z.pipe(
      z.string().check(z.regex(/^(auto|[1-9]\d{0,5})$/, 'must be "auto" or a positive integer')),
      z.transform((text): number | "auto" => (text === "auto" ? "auto" : Number(text))),
    ),
    TRAINING_DEFAULTS.k,
  ),
  [ENV.seed]: z._default(numberText(/^-?\d{1,10}$/, "must be an integer"), TRAINING_DEFAULTS.seed),
  [ENV.favouriteThreshold]: z._default(
    numberText(/^\d(\.\d+)?$/, "must be a number from 0.5 to 5").check(
      z.refine((n) => n >= 0.5 && n <= 5, "must be a number from 0.5 to 5"),
    ),
    TRAINING_DEFAULTS.favouriteThreshold,
  ),
  [ENV.minClusterSize]: positiveInt(TRAINING_DEFAULTS.minClusterSize),
  [ENV.clusterTopN]: positiveInt(PUBLISHING_DEFAULTS.clusterTopN),
  [ENV.popularMinVotes]: positiveInt(PUBLISHING_DEFAULTS.popularMinVotes),
  [ENV.popularListSize]: positiveInt(PUBLISHING_DEFAULTS.popularListSize),
  [ENV.writeConcurrency]: positiveInt(PUBLISHING_DEFAULTS.writeConcurrency),
  [ENV.minUserShare]: share(DEFAULT_PLAUSIBILITY.minUserShare),
  [ENV.minFavouriteShare]: share(DEFAULT_PLAUSIBILITY.minFavouriteShare),
  [ENV.minMovieShare]: share(DEFAULT_PLAUSIBILITY.minMovieShare),
  [ENV.minK]: positiveInt(DEFAULT_PLAUSIBILITY.minK),
  [ENV.versionsKept]: positiveInt(PUBLISHING_DEFAULTS.versionsKept),
});

const adminSchema = z.object({
  ...storeShape,
  [ENV.trainFunctionName]: required,
  [ENV.lambdaEndpoint]: optionalUrl,
});

const authSchema = z.object({
  [ENV.authIssuer]: z.url("must be a URL"),
  [ENV.authClientIds]: z
    .pipe(
      required,
      z.transform((text) => text.split(",").map((id) => id.trim())),
    )
    .check(
      z.refine(
        (ids) => ids.every((id) => /^[\w+]{1,128}$/.test(id)),
        "must be app client ids, comma-separated",
      ),
    ),
});

const telemetrySchema = z.object({
  AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
  [ENV.tracing]: z._default(z.enum(["true", "false"], 'must be "true" or "false"'), "false"),
  [ENV.logLevel]: z.optional(
    z.pipe(
      z.string().check(z.regex(/^(debug|info|warn|error)$/i, "must be DEBUG, INFO, WARN or ERROR")),
      z.transform((text) => text.toUpperCase() as TelemetryConfig["logLevel"]),
    ),
  ),
});

function parse<T>(schema: z.ZodMiniType<T, unknown>, env: Environment): T {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const missing = env[name] === undefined || env[name] === "";
  throw new ConfigError(
    name,
    missing
      ? `environment variable ${name} is required and not set`
      : `environment variable ${name} is invalid: ${issue.message}`,
  );
}

/** Reads the API functions' config; throws ConfigError naming the first missing or invalid variable. */
export function loadApiConfig(env: Environment = process.env): ApiConfig {
  const parsed = parse(apiSchema, env);
  return {
    tableName: parsed[ENV.tableName],
    dynamoEndpoint: parsed[ENV.dynamoEndpoint],
    region: parsed.AWS_REGION,
    candidatePool: parsed[ENV.candidatePool],
    neighbourWeight: parsed[ENV.neighbourWeight],
    storeDeadlineMs: parsed[ENV.storeDeadlineMs],
  };
}

/** Reads the personal routes' token settings; throws ConfigError naming the first missing or invalid variable. */
export function loadAuthConfig(env: Environment = process.env): AuthConfig {
  const parsed = parse(authSchema, env);
  return { issuer: parsed[ENV.authIssuer], clientIds: parsed[ENV.authClientIds] };
}

/** Reads a training run's config; throws ConfigError naming the first missing or invalid variable. */
export function loadTrainConfig(env: Environment = process.env): TrainConfig {
  const parsed = parse(trainSchema, env);
  return {
    tableName: parsed[ENV.tableName],
    dynamoEndpoint: parsed[ENV.dynamoEndpoint],
    region: parsed.AWS_REGION,
    bucketName: parsed[ENV.bucketName],
    ratingsKey: parsed[ENV.ratingsKey],
    moviesKey: parsed[ENV.moviesKey],
    s3Endpoint: parsed[ENV.s3Endpoint],
    k: parsed[ENV.k],
    seed: parsed[ENV.seed],
    favouriteThreshold: parsed[ENV.favouriteThreshold],
    minClusterSize: parsed[ENV.minClusterSize],
    clusterTopN: parsed[ENV.clusterTopN],
    popularMinVotes: parsed[ENV.popularMinVotes],
    popularListSize: parsed[ENV.popularListSize],
    writeConcurrency: parsed[ENV.writeConcurrency],
    plausibility: {
      minUserShare: parsed[ENV.minUserShare],
      minFavouriteShare: parsed[ENV.minFavouriteShare],
      minMovieShare: parsed[ENV.minMovieShare],
      minK: parsed[ENV.minK],
    },
    versionsKept: parsed[ENV.versionsKept],
  };
}

/** Reads the administrative function's config; throws ConfigError naming the first missing or invalid variable. */
export function loadAdminConfig(env: Environment = process.env): AdminConfig {
  const parsed = parse(adminSchema, env);
  return {
    tableName: parsed[ENV.tableName],
    dynamoEndpoint: parsed[ENV.dynamoEndpoint],
    region: parsed.AWS_REGION,
    trainFunctionName: parsed[ENV.trainFunctionName],
    lambdaEndpoint: parsed[ENV.lambdaEndpoint],
  };
}

/**
 * Reads the API functions' telemetry settings: in Lambda, INFO logs (one line per request) and EMF metrics;
 * locally (`npm start`, tests) WARN logs only, so only unexpected errors print. Throws ConfigError on a
 * malformed value.
 */
export function loadTelemetryConfig(env: Environment = process.env): TelemetryConfig {
  const parsed = parse(telemetrySchema, env);
  const inLambda = (parsed.AWS_LAMBDA_FUNCTION_NAME ?? "") !== "";
  return {
    inLambda,
    tracing: parsed[ENV.tracing] === "true",
    logLevel: parsed[ENV.logLevel] ?? (inLambda ? "INFO" : "WARN"),
  };
}
