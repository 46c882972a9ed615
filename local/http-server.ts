import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { toErrorResponse } from "../shared/http/error-response.js";
import { checkRawPath } from "../shared/http/raw-request.js";
import type { LocalAuthorizer } from "./jwt-authorizer.js";

/**
 * A thin HTTP -> API Gateway HTTP API (payload format 2.0) adapter, so `npm start` and the end-to-end tests
 * call the very same Lambda handlers that API Gateway calls in the cloud.
 */

/** A Lambda handler for HTTP API events, as the functions export it. */
export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** One route: `path` uses API Gateway's `{name}` placeholders, as in shared/constants.ts ROUTES. */
export interface LocalRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: HttpApiHandler;
  /** Reported to the handler as the Lambda function name. */
  readonly functionName?: string;
  /** Needs a valid token (ROUTES `personal`): the server's `authorizer` checks it, as API Gateway's would. */
  readonly personal?: boolean;
}

/** Options for {@link createHttpApiServer}. */
export interface HttpApiServerOptions {
  /** Larger request bodies get 413 before any handler runs. Default 1 MiB (API Gateway allows 10 MB). */
  readonly maxBodyBytes?: number;
  /** Called with a handler's exception (the client only sees a generic 500). Default: console.error. */
  readonly onError?: (error: unknown, routeKey: string) => void;
  /**
   * Verifies the Authorization header of requests to personal routes (local/jwt-authorizer.ts): a refusal is
   * a 401 before the handler runs; the claims go to the handler in `requestContext.authorizer.jwt.claims`.
   * Required when any route is personal.
   */
  readonly authorizer?: LocalAuthorizer;
  /** Files served on GET (and HEAD) for paths no route matches: the web page (local/web-site.ts). */
  readonly staticFiles?: ReadonlyMap<string, { readonly contentType: string; readonly body: Buffer }>;
}

/** A started local API. */
export interface RunningHttpApi {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const TEXT_CONTENT_TYPE = /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded|javascript))/i;

interface CompiledRoute {
  readonly route: LocalRoute;
  readonly routeKey: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** The client went away while sending its body: nothing to answer and nothing to log. */
function isAbortedUpload(request: IncomingMessage, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return request.destroyed || code === "ECONNRESET" || code === "ECONNABORTED";
}

function compile(route: LocalRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const placeholder = /^\{(\w+)\}$/.exec(segment);
      if (!placeholder) return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      names.push(placeholder[1]!);
      return "([^/]+)";
    })
    .join("/");
  return {
    route,
    routeKey: `${route.method.toUpperCase()} ${route.path}`,
    pattern: new RegExp(`^${source}$`),
    names,
  };
}

function sendJson(
  response: ServerResponse,
  statusCode: number,
  error: string,
  message: string,
  extra: Record<string, string> = {},
  field?: string,
) {
  const body = JSON.stringify(field === undefined ? { error, message } : { error, message, field });
  response.writeHead(statusCode, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...extra,
  });
  response.end(body);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(`body of ${declared} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Headers as API Gateway passes them: lower-case names, repeated values joined with commas, cookies apart. */
function eventHeaders(request: IncomingMessage): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((cookie) => cookie.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  // API Gateway always tells the function the scheme the client used.
  headers["x-forwarded-proto"] ??= "http";
  return { headers, cookies };
}

/** Query parameters as API Gateway passes them: decoded, repeated names joined with commas. */
function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const [name, value] of search) {
    result[name] = result[name] === undefined ? value : `${result[name]},${value}`;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function lambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "128",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Writes a handler's result the way API Gateway maps a payload 2.0 response. */
function writeResult(response: ServerResponse, result: unknown): void {
  const structured =
    typeof result === "object" && result !== null && "statusCode" in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : undefined;
  if (!structured) {
    // No statusCode: API Gateway answers 200 with the returned value as a JSON body.
    const body = typeof result === "string" ? result : (JSON.stringify(result) ?? "");
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
    return;
  }
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(structured.body, structured.isBase64Encoded ? "base64" : "utf8");
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (structured.cookies && structured.cookies.length > 0) headers["set-cookie"] = [...structured.cookies];
  if (body.length > 0 && headers["content-type"] === undefined) headers["content-type"] = "application/json";
  headers["content-length"] = String(body.length);
  response.writeHead(structured.statusCode ?? 200, headers);
  response.end(body);
}

/**
 * Creates (does not start) an HTTP server that turns each request into an API Gateway HTTP API payload 2.0
 * event, calls the matching route's handler and maps its result back. Unknown paths get 404 and known paths
 * with another method 405, both as JSON `{ error, message }`.
 */
export function createHttpApiServer(
  routes: readonly LocalRoute[],
  options: HttpApiServerOptions = {},
): Server {
  const compiled = routes.map(compile);
  const authorizer = options.authorizer;
  const personal = routes.filter((route) => route.personal).map((route) => `${route.method} ${route.path}`);
  if (personal.length > 0 && authorizer === undefined) {
    throw new Error(`personal routes need an authorizer (${personal.join(", ")})`);
  }
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError = options.onError ?? ((error: unknown) => console.error(error));

  return createServer((request, response) => {
    void (async () => {
      const method = (request.method ?? "GET").toUpperCase();
      // The raw target, never normalised: new URL() would resolve "/users/../model" to "/model" and read
      // "//users/1" as a host. API Gateway routes the raw path too.
      const target = request.url ?? "/";
      const queryAt = target.indexOf("?");
      const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
      const url = new URL(queryAt < 0 ? "/" : `/${target.slice(queryAt)}`, "http://localhost");
      try {
        checkRawPath(rawPath);
      } catch (error) {
        const { statusCode, body } = toErrorResponse(error);
        sendJson(response, statusCode, body.error, body.message, {}, body.field);
        return;
      }
      const pathMatches = compiled
        .map((candidate) => ({ candidate, match: candidate.pattern.exec(rawPath) }))
        .filter((entry) => entry.match !== null);
      const file = options.staticFiles?.get(rawPath);
      if (pathMatches.length === 0 && file && (method === "GET" || method === "HEAD")) {
        response.writeHead(200, {
          "content-type": file.contentType,
          "content-length": file.body.length,
          "cache-control": "no-cache",
          "x-content-type-options": "nosniff",
        });
        response.end(method === "HEAD" ? undefined : file.body);
        return;
      }
      if (pathMatches.length === 0) {
        sendJson(response, 404, "NotFound", `No route for ${method} ${rawPath}`);
        return;
      }
      const found = pathMatches.find((entry) => entry.candidate.route.method.toUpperCase() === method);
      if (!found) {
        const allowed = [...new Set(pathMatches.map((entry) => entry.candidate.route.method.toUpperCase()))];
        sendJson(response, 405, "MethodNotAllowed", `${method} is not allowed on ${rawPath}`, {
          allow: allowed.join(", "),
        });
        return;
      }
      let claims: Record<string, string> | undefined;
      if (found.candidate.route.personal) {
        try {
          claims = await authorizer!(request.headers.authorization);
        } catch {
          // API Gateway's own answer to a refused token: 401, no detail, before the function runs.
          request.resume();
          sendJson(response, 401, "Unauthorized", "Unauthorized", { "www-authenticate": "Bearer" });
          return;
        }
      }
      let body: Buffer;
      try {
        body = await readBody(request, limit);
      } catch (error) {
        if (isAbortedUpload(request, error)) {
          response.destroy();
          return;
        }
        if (error instanceof BodyTooLargeError) {
          sendJson(response, 413, "PayloadTooLarge", `Request body is larger than ${limit} bytes`, {
            connection: "close",
          });
          request.resume();
          return;
        }
        throw error;
      }
      const { candidate, match } = found;
      const pathParameters: Record<string, string> = {};
      candidate.names.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(match![index + 1]!);
      });
      const { headers, cookies } = eventHeaders(request);
      const requestId = randomUUID();
      const now = new Date();
      const contentType = headers["content-type"] ?? "";
      const isText = body.length === 0 || contentType === "" || TEXT_CONTENT_TYPE.test(contentType);
      const rawQueryString = url.search.startsWith("?") ? url.search.slice(1) : "";
      const queryStringParameters = queryParameters(url.searchParams);
      const event: APIGatewayProxyEventV2 = {
        version: "2.0",
        routeKey: candidate.routeKey,
        rawPath,
        rawQueryString,
        headers,
        ...(cookies.length > 0 ? { cookies } : {}),
        ...(queryStringParameters ? { queryStringParameters } : {}),
        ...(candidate.names.length > 0 ? { pathParameters } : {}),
        ...(body.length > 0 ? { body: body.toString(isText ? "utf8" : "base64") } : {}),
        isBase64Encoded: body.length > 0 && !isText,
        requestContext: {
          accountId: "000000000000",
          apiId: "local",
          domainName: headers.host ?? "localhost",
          domainPrefix: (headers.host ?? "localhost").split(".")[0]!,
          http: {
            method,
            path: rawPath,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
            userAgent: headers["user-agent"] ?? "",
          },
          requestId,
          routeKey: candidate.routeKey,
          stage: "$default",
          time: now.toISOString(),
          timeEpoch: now.getTime(),
          ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
        },
      };
      const functionName = candidate.route.functionName ?? candidate.routeKey;
      let result: unknown;
      try {
        result = await candidate.route.handler(event, lambdaContext(functionName, requestId));
      } catch (error) {
        onError(error, candidate.routeKey);
        sendJson(response, 500, "InternalServerError", "Internal Server Error");
        return;
      }
      writeResult(response, result);
    })().catch((error: unknown) => {
      onError(error, "adapter");
      if (!response.headersSent) sendJson(response, 500, "InternalServerError", "Internal Server Error");
      else response.destroy();
    });
  });
}

/** Starts {@link createHttpApiServer} on `host:port` (port 0: a free one) and resolves once it listens. */
export async function startHttpApi(
  routes: readonly LocalRoute[],
  options: HttpApiServerOptions & { readonly port?: number; readonly host?: string } = {},
): Promise<RunningHttpApi> {
  const server = createHttpApiServer(routes, options);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
