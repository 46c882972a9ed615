import { FUNCTION_NAMES } from "../shared/constants.js";

/**
 * What each Lambda function gets: memory, timeout, and the access it needs, nothing more. The stack builds
 * its functions and IAM policies from this table, and the assertion tests read it to prove the boundaries.
 */

/** A function, by its folder under functions/. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Table access, from least to most:
 * - `none`: no table access (GET /openapi.json serves a document built from code).
 * - `read`: GetItem, BatchGetItem, Query (table and indexes). Cannot write.
 * - `favourites`: `read`, plus PutItem, and UpdateItem and ConditionCheckItem inside TransactWriteItems only
 *   (the favourite transaction); the favourite and dismissal functions. No DeleteItem, no batch writes.
 * - `accounts`: `read`, plus the account writes (shared/adapters/dynamo-account-writer.ts): UpdateItem of the id
 *   counter, and PutItem of the two link items inside TransactWriteItems only.
 * - `training`: `read`, plus batch and single-item writes and deletes (a model version is written in
 *   batches, a lock item is taken and released, the pointer is flipped, superseded versions are removed).
 */
export type TableAccess = "none" | "read" | "favourites" | "accounts" | "training";

/**
 * Which config loaders the function uses (shared/config.ts): `api` loadApiConfig; `personal` loadApiConfig and
 * loadAuthConfig (the functions of ROUTES marked `personal`); `train` loadTrainConfig; `admin` loadAdminConfig.
 */
export type ConfigKind = "api" | "personal" | "train" | "admin";

/** Sizing and access of one function. */
export interface FunctionSpec {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly config: ConfigKind;
  readonly tableAccess: TableAccess;
  /** Reads the ratings objects and writes the reports in the bucket; only the training function does. */
  readonly bucketAccess: boolean;
}

/** API functions: small and short (they read a few items); measured by `npm run bench:api`. */
const API_READ: FunctionSpec = {
  memoryMb: 256,
  timeoutSeconds: 10,
  config: "api",
  tableAccess: "read",
  bucketAccess: false,
};

/** Every function's spec. A new name in FUNCTION_NAMES fails type checking until it is added here. */
export const FUNCTION_SPECS: Readonly<Record<FunctionName, FunctionSpec>> = {
  "get-recommendations": { ...API_READ, config: "personal" },
  "record-favourite": { ...API_READ, config: "personal", tableAccess: "favourites" },
  "remove-favourite": { ...API_READ, config: "personal", tableAccess: "favourites" },
  "list-favourites": { ...API_READ, config: "personal" },
  "get-me": { ...API_READ, config: "personal", tableAccess: "accounts" },
  // A dismissal un-counts a favourite through the favourite transaction, then puts its own item.
  "dismiss-movie": { ...API_READ, config: "personal", tableAccess: "favourites" },
  // An undo is a conditional PutItem (state "undone"): no DeleteItem needed.
  "undo-dismissal": { ...API_READ, config: "personal", tableAccess: "favourites" },
  "get-popular-movies": API_READ,
  "get-cluster": API_READ,
  "get-model": API_READ,
  "get-health": API_READ,
  "search-movies": API_READ,
  "get-movie": API_READ,
  "get-similar-movies": API_READ,
  "list-genres": API_READ,
  "list-clusters": API_READ,
  "get-model-chart": API_READ,
  "recommend-from-picks": API_READ,
  // Serves a document built from code: no table access at all.
  "get-openapi": { ...API_READ, tableAccess: "none" },
  // The largest memory size also buys the most CPU (6 vCPUs); the whole run must fit in Lambda's 15 minutes.
  "train-model": {
    memoryMb: 10_240,
    timeoutSeconds: 900,
    config: "train",
    tableAccess: "training",
    bucketAccess: true,
  },
  // Invoked through IAM only (no route): lists versions, starts a training run (an asynchronous invoke of
  // train-model, its only grant besides the table), rolls back. A rollback is the publish protocol on a kept
  // version (lock, catch-up transactions, pointer flip), hence `training` table access; it never reads the
  // bucket. As long as the lock it may hold: a catch-up of a large table can take minutes.
  "admin-model": {
    memoryMb: 512,
    timeoutSeconds: 900,
    config: "admin",
    tableAccess: "training",
    bucketAccess: false,
  },
};

/** True for the functions behind the HTTP API (their config is `api` or `personal`). */
export function isApiFunction(name: FunctionName): boolean {
  const kind = FUNCTION_SPECS[name].config;
  return kind === "api" || kind === "personal";
}

/** The function names in FUNCTION_NAMES order. */
export const ALL_FUNCTIONS: readonly FunctionName[] = FUNCTION_NAMES;
