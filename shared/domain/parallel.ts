/**
 * Parallel work as the domain sees it: a named pure kernel applied to independent tasks over shared read-only
 * data. The domain names the kernel and splits the work; a ParallelRunner (shared/parallel/, worker threads)
 * runs it on other cores, or, without one, the tasks run here one after another. The same kernel runs either
 * way, so results are identical by construction; no I/O, thread or clock is touched in the domain.
 */

/** The kernels a runner can execute, by name (shared/parallel/kernels.ts maps each name to its function). */
export type KernelName = "k-sweep-candidate" | "kmeans-restart" | "kmeans-assign" | "neighbour-chunk";

/**
 * Runs `kernel(shared, task)` for every task on worker threads and returns the results in task order,
 * blocking until all are done. `shared` holds plain data and typed arrays; it is sent to each worker once
 * per call (typed arrays are shared, not copied, where the runner can).
 */
export interface ParallelRunner {
  /** Threads the tasks are spread over; 1 or fewer means: run here. */
  readonly workers: number;
  run<S, T, R>(kernel: KernelName, shared: S, tasks: readonly T[]): R[];
  /**
   * A copy of plain data whose typed arrays every thread sees (shared memory), for data a loop passes to
   * `run` many times: later runs pass it without copying, and workers' writes to it are seen here after
   * `run` returns. Absent: `run` copies the data each time.
   */
  share?<S>(shared: S): S;
}

/**
 * Applies a kernel to every task: on the runner's workers when there is one with more than one worker and
 * more than one task, else in this thread, in order (the single-threaded path, unchanged).
 */
export function runTasks<S, T, R>(
  runner: ParallelRunner | undefined,
  kernel: KernelName,
  fn: (shared: S, task: T) => R,
  shared: S,
  tasks: readonly T[],
): R[] {
  if (runner !== undefined && runner.workers > 1 && tasks.length > 1)
    return runner.run<S, T, R>(kernel, shared, tasks);
  return tasks.map((task) => fn(shared, task));
}

/** True when a runner would spread work over more than one thread. */
export function isParallel(runner: ParallelRunner | undefined): runner is ParallelRunner {
  return runner !== undefined && runner.workers > 1;
}
