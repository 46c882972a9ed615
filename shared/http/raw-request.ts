import { NotFoundError, UnsupportedMediaTypeError, ValidationError } from "../domain/errors.js";

/**
 * Checks on the raw request that API Gateway passes through untouched and the local server sees before
 * routing: malformed percent-escapes, dot and empty path segments, repeated query parameters, and the
 * content type of a JSON body. Each failure is a typed error the one mapping turns into a 4xx.
 */

/** Decodes one path segment; a malformed percent-escape (`%`, `%ZZ`, `%FF`, `%E0%A4%A`) is a 400. */
function decodePathSegment(segment: string, index: number): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new ValidationError(
      "path",
      `path segment ${index + 1} has a malformed percent-escape (each % must start a valid UTF-8 %XX sequence)`,
      { cause: error },
    );
  }
}

/**
 * Validates a raw request path: every segment must decode (400 otherwise), and a path with `.` or `..`
 * segments (raw or percent-encoded) or empty segments (`//`) names no route: it would only become one after
 * normalising, which this API never does (404). Returns the decoded segments after the leading slash.
 */
export function checkRawPath(rawPath: string): string[] {
  const raw = rawPath.startsWith("/") ? rawPath.slice(1) : rawPath;
  const segments = raw.split("/");
  const decoded = segments.map(decodePathSegment);
  const trailingSlashOnly = (index: number) => index === segments.length - 1 && index > 0;
  decoded.forEach((segment, index) => {
    if (segment === "." || segment === "..") {
      throw new NotFoundError(
        "route",
        `No route for ${rawPath}: "${segment}" path segments are not resolved`,
      );
    }
    if (segment === "" && !trailingSlashOnly(index) && segments.length > 1) {
      throw new NotFoundError("route", `No route for ${rawPath}: the path has an empty segment ("//")`);
    }
  });
  return decoded;
}

/** Names of query parameters given more than once in a raw query string, in order of first repetition. */
export function repeatedQueryNames(rawQueryString: string): string[] {
  const counts = new Map<string, number>();
  const repeated: string[] = [];
  for (const name of new URLSearchParams(rawQueryString).keys()) {
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    if (count === 2) repeated.push(name);
  }
  return repeated;
}

/** Throws a 400 naming the first query parameter, other than the `allowed` ones, given more than once. */
export function rejectRepeatedQuery(
  rawQueryString: string | undefined,
  allowed: readonly string[] = [],
): void {
  const [name] = repeatedQueryNames(rawQueryString ?? "").filter((n) => !allowed.includes(n));
  if (name !== undefined) {
    throw new ValidationError(name, `${name} is given more than once; give it once`);
  }
}

/** The media type of a Content-Type header, lower-cased, without parameters ("" when absent). */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Throws a 415 unless the headers declare a JSON body (`application/json`, parameters such as charset
 * allowed). A form or text/plain POST is what a browser sends cross-site without a preflight: refusing
 * it means a write always needs a CORS preflight.
 */
export function requireJsonContentType(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): void {
  const given = mediaType(headers?.["content-type"] ?? headers?.["Content-Type"]);
  if (given !== "application/json") {
    throw new UnsupportedMediaTypeError(
      given === ""
        ? "content-type is missing; send the body as application/json"
        : `content-type ${given} is not accepted; send the body as application/json`,
    );
  }
}
