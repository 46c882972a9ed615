/**
 * The page's one door to the API: JSON in and out, the bearer token on personal routes, and every failure
 * turned into an ApiError carrying a sentence a person understands and a way on.
 */

/** A failed API call, with a message for people (never raw JSON). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const SENTENCES: Record<number, [string, string]> = {
  400: ["That request did not look right", "Check what you typed and try again."],
  401: ["You need to sign in for that", "Sign in (or create an account) and try again."],
  403: ["That belongs to someone else", "You can only see and change your own favourites."],
  404: ["We could not find that", "It may not be in the current model: search for another movie."],
  415: ["The page sent something the service could not read", "Reload the page and try again."],
  429: ["Too many requests at once", "Wait a few seconds, then try again."],
  503: ["The service is busy right now", "Wait a moment and try again."],
};

/** The message and hint shown for a status, with the server's own message appended for 400s. */
function explainStatus(status: number, serverMessage?: string): ApiError {
  const [message, hint] = SENTENCES[status] ?? ["Something went wrong on our side", "Try again in a minute."];
  const detail = status === 400 && serverMessage ? `${message}: ${serverMessage}` : message;
  return new ApiError(status, detail, hint);
}

/** Calls the API and returns its JSON body; throws ApiError on any non-2xx answer or network failure. */
export async function callApi<T>(
  path: string,
  options: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, "We could not reach the service", "Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    throw explainStatus(response.status, typeof message === "string" ? message : undefined);
  }
  return body as T;
}
