import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { KernelName, ParallelRunner } from "../domain/parallel.js";
import { toSharedMemory } from "./shared-memory.js";

/**
 * A ParallelRunner on worker threads. `run` blocks the calling thread (Atomics.wait) until every task is done
 * and reads the results synchronously (receiveMessageOnPort), so the domain's training stays synchronous:
 * the same call, the same kernels, other cores. The shared data is copied into shared memory once per call.
 */

/** A pool of worker threads; close it to end them (they do not keep the process alive). */
export interface WorkerPool extends ParallelRunner {
  close(): Promise<void>;
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Threads to start; default os.availableParallelism(). */
  readonly workers?: number;
  /** The worker script; default worker.ts beside this file (under tsx), or parallel-worker.mjs in a bundle. */
  readonly workerUrl?: URL;
}

/** How long the waiting thread sleeps between checks of the done counter, in ms. */
const WAIT_SLICE_MS = 1_000;

/** The worker script next to this module: the TypeScript source in development, the bundled file in Lambda. */
function defaultWorkerUrl(): URL {
  return import.meta.url.endsWith(".ts")
    ? new URL("./worker.ts", import.meta.url)
    : new URL("./parallel-worker.mjs", import.meta.url);
}

/** Cores this process may use (os.availableParallelism()): 6 in a 10 GB Lambda, 2 on the build machines. */
export function availableCores(): number {
  return availableParallelism();
}

/** Starts `workers` threads (default: one per available core) ready to run the domain's kernels. */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const count = Math.max(1, options.workers ?? availableParallelism());
  const url = options.workerUrl ?? defaultWorkerUrl();
  const execArgv = url.pathname.endsWith(".ts") ? ["--import", "tsx"] : [];
  const threads: { worker: Worker; port: MessagePort }[] = [];
  for (let i = 0; i < count; i++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(url, { workerData: { port: port2 }, transferList: [port2], execArgv });
    worker.unref();
    port1.unref();
    threads.push({ worker, port: port1 });
  }
  let failure: Error | undefined;
  for (const { worker } of threads) worker.on("error", (error) => (failure ??= error));

  return {
    workers: count,
    share: toSharedMemory,
    run<S, T, R>(kernel: KernelName, shared: S, tasks: readonly T[]): R[] {
      if (failure) throw new Error(`a worker thread failed earlier: ${failure.message}`, { cause: failure });
      const control = new Int32Array(new SharedArrayBuffer(8));
      const job = { kernel, shared: toSharedMemory(shared), tasks, control };
      for (const { port } of threads) port.postMessage(job);
      const results = new Array<R>(tasks.length);
      let received = 0;
      let error: { name: string; message: string } | undefined;
      while (received < tasks.length) {
        const done = Atomics.load(control, 1);
        for (const { port } of threads) {
          for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
            const reply = message.message as {
              index: number;
              result?: R;
              error?: { name: string; message: string };
            };
            if (reply.error) error ??= reply.error;
            else results[reply.index] = reply.result as R;
            received++;
          }
        }
        if (received < tasks.length && Atomics.load(control, 1) === done)
          Atomics.wait(control, 1, done, WAIT_SLICE_MS);
      }
      if (error) throw new Error(`${kernel} failed in a worker thread: ${error.name}: ${error.message}`);
      return results;
    },
    async close() {
      await Promise.all(
        threads.map(({ worker, port }) => {
          port.close();
          return worker.terminate();
        }),
      );
    },
  };
}

/** The process's one training pool, shared by every runner trainingRunner returns. */
let trainingPool: WorkerPool | undefined;

/**
 * The training runs' runner: undefined on one core (the single-threaded path); otherwise one thread per core,
 * started at the first parallel call (so a cold start pays nothing) and kept, once per process, for later runs.
 */
export function trainingRunner(cores: number = availableParallelism()): ParallelRunner | undefined {
  if (cores <= 1) return undefined;
  return {
    workers: cores,
    share: toSharedMemory,
    run: (kernel, shared, tasks) => {
      if (trainingPool === undefined || trainingPool.workers !== cores)
        trainingPool = createWorkerPool({ workers: cores });
      return trainingPool.run(kernel, shared, tasks);
    },
  };
}
