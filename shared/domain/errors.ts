/**
 * Typed errors of the domain. Each extends DomainError, has a literal `name` (it survives minification) and
 * keeps its `cause`. Exactly one function (shared/http) maps them to HTTP statuses, by `instanceof`.
 */

/** The base of every error this project throws on purpose: anything else is a bug or an untranslated fault. */
export abstract class DomainError extends Error {
  abstract override readonly name: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that breaks a rule; `field` names what is wrong (a request field, a CLI flag, a CSV column). */
export class ValidationError extends DomainError {
  override readonly name = "ValidationError";
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A thing that was asked for by id does not exist. */
export class NotFoundError extends DomainError {
  override readonly name = "NotFoundError";
  constructor(
    readonly resource: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request conflicts with the current state (for example another training run holds the lock). */
export class ConflictError extends DomainError {
  override readonly name = "ConflictError";
}

/** A request body or input larger than allowed. */
export class PayloadTooLargeError extends DomainError {
  override readonly name = "PayloadTooLargeError";
}

/** A request body in a media type the route does not accept (JSON routes accept application/json only). */
export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = "UnsupportedMediaTypeError";
}

/** The service is asked too fast, and retries with backoff did not help. */
export class ThrottledError extends DomainError {
  override readonly name = "ThrottledError";
}

/** A storage call failed for a reason that is not the caller's; `cause` holds the SDK error. */
export class StoreError extends DomainError {
  override readonly name = "StoreError";
}

/**
 * Storage did not answer in time or could not be reached (after the SDK's retries): the caller should retry
 * shortly. `retryAfterSeconds` is what the API tells the client.
 */
export class StoreUnavailableError extends DomainError {
  override readonly name = "StoreUnavailableError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A ratings or movies file that cannot be trained on: wrong header, empty, or too many bad rows. */
export class RatingsFormatError extends DomainError {
  override readonly name = "RatingsFormatError";
}

/** Training was asked for something the data cannot give (for example more clusters than users). */
export class TrainingError extends DomainError {
  override readonly name = "TrainingError";
}

/** A trained model failed the plausibility gate against the active one; the active model keeps serving. */
export class ModelRefusedError extends DomainError {
  override readonly name = "ModelRefusedError";
  constructor(
    message: string,
    readonly candidate: {
      readonly users: number;
      readonly favourites: number;
      readonly movies: number;
      readonly k: number;
    },
    readonly active: {
      readonly users: number;
      readonly favourites: number;
      readonly movies: number;
      readonly k: number;
    } | null,
  ) {
    super(message);
  }
}

/** A missing or malformed environment variable, found at cold start; `variable` names it. */
export class ConfigError extends DomainError {
  override readonly name = "ConfigError";
  constructor(
    readonly variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A personal route was called without a valid access token (none, bad signature, expired, wrong kind). */
export class UnauthorizedError extends DomainError {
  override readonly name = "UnauthorizedError";
}

/** A valid caller asked for another person's data; nothing was read or stored. */
export class ForbiddenError extends DomainError {
  override readonly name = "ForbiddenError";
}
