import * as z from "zod/mini";
import { StoreError } from "../domain/errors.js";
import type { ModelInfo } from "../domain/ports.js";
import { getItem, type TableRef } from "./dynamo-client.js";
import { type Item, readJson, readOptionalS, readS } from "./dynamo-codec.js";
import { versionKey, versionOfVersionSk } from "./dynamo-keys.js";

/** A model version's metadata item, parsed. */
export interface VersionMeta {
  readonly version: string;
  /** `writing` until every item of the version is written, then `complete`. */
  readonly state: "writing" | "complete";
  readonly info: ModelInfo;
}

const reportSchema = z.nullable(
  z.object({ bucket: z.string(), jsonKey: z.string(), svgKey: z.nullable(z.string()) }),
);

const infoSchema = z.object({
  trainedAt: z.string(),
  k: z.number(),
  kSelection: z.object({
    rule: z.enum(["fixed", "knee", "silhouette"]),
    chosenK: z.number(),
    candidates: z.array(z.object({ k: z.number(), wcss: z.number(), silhouette: z.nullable(z.number()) })),
    confidence: z.enum(["clear", "weak", "none"]),
    explanation: z.string(),
  }),
  params: z.object({
    k: z.number(),
    seed: z.number(),
    geometry: z.enum(["euclidean", "cosine"]),
    favouriteThreshold: z.number(),
    minClusterSize: z.number(),
    restarts: z.number(),
    maxIterations: z.number(),
  }),
  stats: z.object({
    ratingRows: z.number(),
    badRows: z.number(),
    users: z.number(),
    movies: z.number(),
    favourites: z.number(),
  }),
  inertia: z.number(),
  iterations: z.number(),
  clusterSizes: z.array(z.number()),
  users: z.number(),
  source: z.object({ bucket: z.string(), key: z.string(), versionId: z.nullable(z.string()) }),
});

/** Parses a version metadata item read back from DynamoDB. */
export function parseVersionMeta(item: Item): VersionMeta {
  const version = versionOfVersionSk(readS(item, "sk"));
  const state = readS(item, "state");
  if (state !== "writing" && state !== "complete")
    throw new StoreError(`version ${version}: state ${state} unknown`);
  const info = z.safeParse(infoSchema, readJson(item, "info"));
  if (!info.success) throw new StoreError(`version ${version}: info is malformed`, { cause: info.error });
  const report = z.safeParse(
    reportSchema,
    readOptionalS(item, "report") === undefined ? null : readJson(item, "report"),
  );
  if (!report.success)
    throw new StoreError(`version ${version}: report is malformed`, { cause: report.error });
  return {
    version,
    state,
    info: { version, ...info.data, report: report.data },
  };
}

/** Reads a version's metadata item; null when it does not exist. */
export async function readVersionMeta(table: TableRef, version: string): Promise<VersionMeta | null> {
  const item = await getItem(table, versionKey(version));
  return item ? parseVersionMeta(item) : null;
}
