import * as z from "zod/mini";
import { ValidationError } from "../../shared/domain/errors.js";
import type { VersionSummary } from "../../shared/domain/training-ports.js";

/**
 * The administrative handler (never on the public API): list the stored model versions, retrain now, or
 * roll back to a kept version. `npm run admin` runs it against the `npm start` stack.
 */

/** What the handler needs: the versions, a rollback under the training lock, and a way to start training. */
export interface AdminDeps {
  listVersions(): Promise<readonly VersionSummary[]>;
  /** Rolls back to `version` (catching up favourites first); `owner` holds the training lock meanwhile. */
  rollback(
    version: string,
    owner: string,
    nowMs: number,
  ): Promise<{ previousVersion: string | null; caughtUp: number }>;
  acquireTrainingLock(owner: string, nowMs: number, ttlMs: number): Promise<void>;
  releaseTrainingLock(owner: string): Promise<void>;
  /** Starts a training run now (Lambda: an asynchronous invoke; locally: the run itself). */
  retrain(): Promise<unknown>;
  readonly now: () => number;
  readonly runId: () => string;
}

const eventSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("versions") }),
  z.object({ action: z.literal("retrain") }),
  z.object({ action: z.literal("rollback"), to: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/)) }),
]);

/** An administrative request. */
export type AdminEvent = z.infer<typeof eventSchema>;

/** What the handler answers, by action. */
export type AdminResult =
  | { readonly action: "versions"; readonly versions: readonly VersionSummary[] }
  | { readonly action: "retrain"; readonly result: unknown }
  | {
      readonly action: "rollback";
      readonly version: string;
      readonly previousVersion: string | null;
      readonly caughtUp: number;
    };

/** A rollback holds the training lock for at most this long (the catch-up of a large table included). */
const ROLLBACK_LOCK_MS = 15 * 60_000;

/** Parses an administrative event; ValidationError naming `action` or `to` when it is malformed. */
function parseAdminEvent(event: unknown): AdminEvent {
  const parsed = z.safeParse(eventSchema, event);
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? "action");
  throw new ValidationError(
    field,
    field === "to"
      ? "rollback needs `to`: a version id from `versions` (letters, digits and dashes)"
      : "action must be one of: versions, retrain, rollback",
  );
}

/** Builds the administrative handler. */
export function createHandler(deps: AdminDeps): (event: unknown) => Promise<AdminResult> {
  return async (event) => {
    const request = parseAdminEvent(event);
    if (request.action === "versions") return { action: "versions", versions: await deps.listVersions() };
    if (request.action === "retrain") return { action: "retrain", result: await deps.retrain() };
    const owner = `rollback-${deps.runId()}`;
    await deps.acquireTrainingLock(owner, deps.now(), ROLLBACK_LOCK_MS);
    try {
      const rolled = await deps.rollback(request.to, owner, deps.now());
      return { action: "rollback", version: request.to, ...rolled };
    } finally {
      await deps.releaseTrainingLock(owner);
    }
  };
}
