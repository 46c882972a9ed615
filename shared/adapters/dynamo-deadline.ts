/**
 * Deadlines on storage calls: an API request must not hang on a stalled store (API Gateway gives up at
 * 30 s and the Lambda would run to its timeout). A call that misses its deadline, or whose network errors
 * outlasted the SDK's retries, becomes a StoreUnavailableError, which the API answers as 503 + Retry-After.
 */
import { StoreUnavailableError } from "../domain/errors.js";

/** Node and SDK error codes and names of a store that cannot be reached or did not answer. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** True when `error` says the store could not be reached or did not answer (not a request it refused). */
export function isStoreUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (UNREACHABLE.has(error.name) || (typeof code === "string" && UNREACHABLE.has(code))) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 502 || status === 503 || status === 504;
}

/** Seconds a client is told to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * Runs `call`, rejecting with StoreUnavailableError when it has not settled after `deadlineMs`. The call
 * itself goes on until the client's own request timeout ends it; its late result is dropped.
 */
function withDeadline<T>(what: string, deadlineMs: number, call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new StoreUnavailableError(
          `${what}: storage did not answer within ${deadlineMs} ms`,
          RETRY_AFTER_SECONDS,
        ),
      );
    }, deadlineMs);
    call().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Wraps every method of a port so each call settles within `deadlineMs` (see withDeadline). */
export function withDeadlines<T extends object>(port: T, deadlineMs: number): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(port)) {
    wrapped[name] =
      typeof method === "function"
        ? (...args: unknown[]) =>
            withDeadline(name, deadlineMs, () => (method as (...a: unknown[]) => Promise<unknown>)(...args))
        : method;
  }
  return wrapped as T;
}
