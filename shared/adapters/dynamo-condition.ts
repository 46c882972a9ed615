import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { StoreError } from "../domain/errors.js";

/**
 * True when a write failed only because its condition did not hold: a ConditionalCheckFailed on a single
 * write, or a transaction cancelled for one (raw, or as the cause of the StoreError the retry wrapper threw).
 */
export function isConditionFailure(error: unknown): boolean {
  const cause = error instanceof StoreError ? error.cause : error;
  return (
    cause instanceof ConditionalCheckFailedException ||
    (cause instanceof TransactionCanceledException &&
      (cause.CancellationReasons ?? []).some((r) => r.Code === "ConditionalCheckFailed"))
  );
}
