/**
 * The active-model pointer (read side): the one item readers follow to the live version, and the pending
 * version a publish is writing or catching up.
 */
import { NotFoundError, StoreError } from "../domain/errors.js";
import { getItem, type TableRef } from "./dynamo-client.js";
import { type Item, readLN, readN, readOptionalS } from "./dynamo-codec.js";
import { MODEL_PK, POINTER_SK } from "./dynamo-keys.js";

/** The active-model pointer: what readers follow. `pending` is a version being written or caught up. */
export interface Pointer {
  readonly active: {
    readonly version: string;
    readonly users: number;
    readonly sizes: readonly number[];
  } | null;
  readonly pending: { readonly version: string; readonly state: "writing" | "ready" } | null;
}

/** Parses the pointer item; a missing item means no model has been published. */
function parsePointer(item: Item | undefined): Pointer {
  if (!item) return { active: null, pending: null };
  const active = readOptionalS(item, "active");
  const pending = readOptionalS(item, "pending");
  const state = readOptionalS(item, "pendingState");
  if (pending !== undefined && state !== "writing" && state !== "ready") {
    throw new StoreError(`pointer: pendingState ${String(state)} is not writing or ready`);
  }
  return {
    active:
      active === undefined
        ? null
        : { version: active, users: readN(item, "activeUsers"), sizes: readLN(item, "activeSizes") },
    pending: pending === undefined ? null : { version: pending, state: state as "writing" | "ready" },
  };
}

/** Reads the pointer (strongly consistent). */
export async function readPointer(table: TableRef): Promise<Pointer> {
  return parsePointer(await getItem(table, { pk: MODEL_PK, sk: POINTER_SK }, { consistent: true }));
}

/** The active version of `pointer`; NotFoundError("model") when no model has been published. */
export function requireActive(pointer: Pointer): NonNullable<Pointer["active"]> {
  if (!pointer.active) throw new NotFoundError("model", "no model has been trained yet");
  return pointer.active;
}
