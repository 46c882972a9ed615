import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { z } from "zod";
import { PayloadTooLargeError, ValidationError } from "../domain/errors.js";

/** JSON request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 1024;

const INT32_MAX = 2_147_483_647;

/** A positive integer id given as text (path or query): digits only, 1..2^31-1 (ids are stored as Int32). */
export const positiveId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "must be a positive integer")
  .transform(Number)
  .refine((n) => n <= INT32_MAX, "is too large");

/** A cluster id: 0 or a positive integer. */
export const clusterId = z
  .string()
  .regex(/^(0|[1-9]\d{0,5})$/, "must be a non-negative integer")
  .transform(Number);

/** `limit` query parameter: 1..100, default 10. */
export const limitParam = z
  .string()
  .regex(/^\d{1,4}$/, "must be an integer from 1 to 100")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 100, "must be an integer from 1 to 100")
  .optional()
  .transform((n) => n ?? 10);

/** `offset` query parameter: >= 0, default 0. */
export const offsetParam = z
  .string()
  .regex(/^\d{1,6}$/, "must be a non-negative integer (at most 999999)")
  .transform(Number)
  .optional()
  .transform((n) => n ?? 0);

/** A JSON number that is a positive Int32 id. */
export const positiveIdNumber = z
  .number("must be a number")
  .int("must be an integer")
  .positive("must be a positive integer")
  .max(INT32_MAX, "is too large");

function firstIssue(error: z.ZodError, fallbackField: string): ValidationError {
  const issue = error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : fallbackField;
  return new ValidationError(field, `${field} ${issue.message}`);
}

/** Parses the path parameters; a failure is a ValidationError naming the parameter. */
export function parsePath<T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T {
  const result = schema.safeParse(event.pathParameters ?? {});
  if (!result.success) throw firstIssue(result.error, "path");
  return result.data;
}

/** Parses the query string parameters; a failure is a ValidationError naming the parameter. */
export function parseQuery<T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success) throw firstIssue(result.error, "query");
  return result.data;
}

/**
 * Parses a JSON body of at most MAX_BODY_BYTES (PayloadTooLargeError above it); malformed JSON and schema
 * failures are ValidationErrors naming the field.
 */
export function parseJsonBody<T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `request body is ${bytes.length} bytes; at most ${MAX_BODY_BYTES} allowed`,
    );
  }
  if (bytes.length === 0) throw new ValidationError("body", "body is required (JSON)");
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new ValidationError("body", "body is not valid JSON", { cause: error });
  }
  const result = schema.safeParse(json);
  if (!result.success) throw firstIssue(result.error, "body");
  return result.data;
}
