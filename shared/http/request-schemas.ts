import type { APIGatewayProxyEventV2 } from "aws-lambda";
// zod/mini: the same validation as "zod" in ~20 KB instead of ~450 KB per function bundle.
import * as z from "zod/mini";
import { PayloadTooLargeError, ValidationError } from "../domain/errors.js";
import { rejectRepeatedQuery, requireJsonContentType } from "./raw-request.js";

/** JSON request bodies larger than this are refused with 413. */
const MAX_BODY_BYTES = 1024;

const INT32_MAX = 2_147_483_647;

/** Any zod schema with output T. */
export type Schema<T> = z.ZodMiniType<T, unknown>;

/** A positive integer id given as text (path or query): digits only, 1..2^31-1 (ids are stored as Int32). */
export const positiveId = z
  .pipe(z.string().check(z.regex(/^[1-9]\d{0,9}$/, "must be a positive integer")), z.transform(Number))
  .check(z.refine((n) => n <= INT32_MAX, "is too large"));

/** A cluster id: 0 or a positive integer. */
export const clusterId = z.pipe(
  z.string().check(z.regex(/^(0|[1-9]\d{0,5})$/, "must be a non-negative integer")),
  z.transform(Number),
);

/** `limit` query parameter: 1..100, default 10. */
export const limitParam = z.pipe(
  z.optional(z.string().check(z.regex(/^(100|[1-9]\d?)$/, "must be an integer from 1 to 100"))),
  z.transform((text) => (text === undefined ? 10 : Number(text))),
);

/** `offset` query parameter: >= 0, default 0. */
export const offsetParam = z.pipe(
  z.optional(
    z.string().check(z.regex(/^(0|[1-9]\d{0,5})$/, "must be a non-negative integer (at most 999999)")),
  ),
  z.transform((text) => (text === undefined ? 0 : Number(text))),
);

/** A JSON number that is a positive Int32 id. */
export const positiveIdNumber = z
  .number("must be a number")
  .check(
    z.refine(Number.isInteger, "must be an integer"),
    z.positive("must be a positive integer"),
    z.maximum(INT32_MAX, "is too large"),
  );

const ARTICLE = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

/** What a zod type name reads as in a message to a caller. */
function typeWord(expected: string): string {
  if (expected === "object") return "JSON object";
  if (expected === "int") return "integer";
  return expected;
}

/**
 * Plain words for a zod issue, never the library's own text ("Invalid input"): the messages written on
 * the schemas are kept; a wrong or missing type says what was expected.
 */
function plainMessage(issue: z.core.$ZodIssue, field: string): string {
  const libraryText = /^Invalid\b|^Too (big|small)\b/.test(issue.message);
  if (issue.code === "invalid_type" && issue.input === undefined) return `${field} is required`;
  if (issue.code === "invalid_type" && libraryText) {
    const received = Array.isArray(issue.input)
      ? "an array"
      : issue.input === null
        ? "null"
        : typeof issue.input;
    return `${field} must be ${ARTICLE(typeWord(issue.expected))} (got ${received})`;
  }
  if (issue.code === "unrecognized_keys") return `${field} has unknown field(s): ${issue.keys.join(", ")}`;
  if (libraryText) return `${field} is not valid`;
  return `${field} ${issue.message}`;
}

function firstIssue(error: z.core.$ZodError, fallbackField: string): ValidationError {
  const issue = error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : fallbackField;
  return new ValidationError(field, plainMessage(issue, field));
}

/** Parses the path parameters; a failure is a ValidationError naming the parameter. */
export function parsePath<T>(event: APIGatewayProxyEventV2, schema: Schema<T>): T {
  const result = z.safeParse(schema, event.pathParameters ?? {}, { reportInput: true });
  if (!result.success) throw firstIssue(result.error, "path");
  return result.data;
}

/**
 * Parses the query string parameters; a failure is a ValidationError naming the parameter. Parameters in
 * `repeatable` may be given more than once (`genre=A&genre=B`, joined with commas as API Gateway does).
 */
export function parseQuery<T>(
  event: APIGatewayProxyEventV2,
  schema: Schema<T>,
  options: { readonly repeatable?: readonly string[] } = {},
): T {
  // API Gateway joins a repeated parameter with commas ("5,5"): name the repetition instead.
  rejectRepeatedQuery(event.rawQueryString, options.repeatable);
  const result = z.safeParse(schema, event.queryStringParameters ?? {}, { reportInput: true });
  if (!result.success) throw firstIssue(result.error, "query");
  return result.data;
}

/**
 * Parses a JSON body of at most MAX_BODY_BYTES (PayloadTooLargeError above it) sent as application/json
 * (UnsupportedMediaTypeError otherwise); malformed JSON and schema failures are ValidationErrors naming
 * the field.
 */
export function parseJsonBody<T>(event: APIGatewayProxyEventV2, schema: Schema<T>): T {
  requireJsonContentType(event.headers);
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
  const result = z.safeParse(schema, json, { reportInput: true });
  if (!result.success) throw firstIssue(result.error, "body");
  return result.data;
}
