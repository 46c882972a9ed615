/** What started a training run, and whether it is for this function at all (S3 events name a key). */

/** How the run was started; an S3 event for another object is skipped with a reason. */
export type Trigger =
  | { readonly kind: "run"; readonly trigger: "s3" | "schedule" | "manual" }
  | { readonly kind: "skip"; readonly reason: string };

/**
 * S3 keys named in an object-created event, undefined when the event is not one: the EventBridge form the
 * stack wires (`source: "aws.s3"`, `detail.object.key` as uploaded) or an S3 notification's `Records`
 * (keys URL-encoded, '+' for spaces).
 */
function s3EventKeys(event: unknown): string[] | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  if ("source" in event && event.source === "aws.s3") {
    const key = (event as { detail?: { object?: { key?: unknown } } }).detail?.object?.key;
    return typeof key === "string" ? [key] : [];
  }
  if (!("Records" in event) || !Array.isArray(event.Records)) return undefined;
  return (event.Records as { s3?: { object?: { key?: string } } }[]).flatMap((record) => {
    const key = record.s3?.object?.key;
    return key === undefined ? [] : [decodeURIComponent(key.replace(/\+/g, " "))];
  });
}

function isScheduled(event: unknown): boolean {
  return typeof event === "object" && event !== null && "source" in event && event.source === "aws.scheduler";
}

/** Reads the invocation: an S3 ObjectCreated event (run only for `ratingsKey`), a schedule, or a manual invoke. */
export function readTrigger(event: unknown, ratingsKey: string): Trigger {
  const keys = s3EventKeys(event);
  if (keys !== undefined && !keys.includes(ratingsKey)) {
    return {
      kind: "skip",
      reason: `S3 event for ${keys.join(", ") || "no key"}, not the ratings object ${ratingsKey}`,
    };
  }
  return { kind: "run", trigger: keys !== undefined ? "s3" : isScheduled(event) ? "schedule" : "manual" };
}
