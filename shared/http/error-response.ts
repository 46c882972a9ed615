import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  StoreUnavailableError,
  ThrottledError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../domain/errors.js";

/** The JSON body of every error response. `field` names the request field that is wrong (400 only). */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field?: string;
}

/** An HTTP status with its error body. */
export interface ErrorResponse {
  readonly statusCode: number;
  readonly body: ErrorBody;
  /** Extra response headers (Retry-After on 503). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The one error-to-HTTP mapping, by `instanceof`. Known domain errors keep their message (written for the
 * caller); anything else is a 500 with a fixed message, so no stack or internal detail ever leaves.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ValidationError) {
    return { statusCode: 400, body: { error: "BadRequest", message: error.message, field: error.field } };
  }
  if (error instanceof UnauthorizedError) {
    return { statusCode: 401, body: { error: "Unauthorized", message: error.message } };
  }
  if (error instanceof ForbiddenError) {
    return { statusCode: 403, body: { error: "Forbidden", message: error.message } };
  }
  if (error instanceof NotFoundError) {
    return { statusCode: 404, body: { error: "NotFound", message: error.message } };
  }
  if (error instanceof ConflictError) {
    return { statusCode: 409, body: { error: "Conflict", message: error.message } };
  }
  if (error instanceof PayloadTooLargeError) {
    return { statusCode: 413, body: { error: "PayloadTooLarge", message: error.message } };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { statusCode: 415, body: { error: "UnsupportedMediaType", message: error.message } };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      statusCode: 503,
      body: { error: "ServiceUnavailable", message: "Storage did not answer in time; retry shortly" },
      headers: { "retry-after": String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof ThrottledError) {
    return {
      statusCode: 429,
      body: { error: "TooManyRequests", message: "The service is busy; retry with backoff" },
    };
  }
  return { statusCode: 500, body: { error: "InternalServerError", message: "Internal Server Error" } };
}
