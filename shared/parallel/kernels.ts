import { sweepCandidate } from "../domain/clustering/k-selection.js";
import { kmeansRestart, type RestartShared } from "../domain/clustering/kmeans.js";
import { assignRows } from "../domain/clustering/kmeans-assign.js";
import type { KernelName } from "../domain/parallel.js";
import { neighbourChunk } from "../domain/ranking/item-neighbours.js";

/** A kernel as a worker calls it: shared data and one task in, one result out. */
type Kernel = (shared: never, task: never) => unknown;

/** The domain's pure kernels by name: what a worker thread may run (see shared/domain/parallel.ts). */
export const KERNELS: Readonly<Record<KernelName, Kernel>> = {
  "k-sweep-candidate": sweepCandidate,
  // In a worker, progress is collected into the result and replayed by the caller.
  "kmeans-restart": (shared: RestartShared, restart: number) => kmeansRestart(shared, restart, null),
  "kmeans-assign": assignRows,
  "neighbour-chunk": neighbourChunk,
};
