import { type MessagePort, workerData } from "node:worker_threads";
import type { KernelName } from "../domain/parallel.js";
import { KERNELS } from "./kernels.js";
import { transferablesOf } from "./shared-memory.js";

/**
 * A worker thread of the pool (worker-pool.ts). For each job it claims tasks one at a time from the shared
 * counter (so a worker that finishes early takes the next), posts each result (its typed arrays transferred,
 * not copied) and only then counts it done, so the waiting thread finds the result when it wakes.
 */

interface Job {
  readonly kernel: KernelName;
  readonly shared: unknown;
  readonly tasks: readonly unknown[];
  /** [0]: next task to claim; [1]: tasks done. */
  readonly control: Int32Array;
}

const port = (workerData as { port: MessagePort }).port;
port.on("message", (job: Job) => {
  const kernel = KERNELS[job.kernel] as (shared: unknown, task: unknown) => unknown;
  for (;;) {
    const index = Atomics.add(job.control, 0, 1);
    if (index >= job.tasks.length) break;
    try {
      const result = kernel(job.shared, job.tasks[index]);
      port.postMessage({ index, result }, transferablesOf(result));
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ index, error: { name, message } });
    }
    Atomics.add(job.control, 1, 1);
    Atomics.notify(job.control, 1);
  }
});
