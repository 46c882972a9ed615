/**
 * `npm start`: the whole service on one machine. Starts DynamoDB Local and s3rver (data in .local-data/),
 * creates the table and bucket, uploads sample data, runs the training function, then serves every API route
 * on http://localhost:3000 through the very same Lambda handlers. Ctrl-C stops everything.
 */

import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LocalUserPool } from "../local/cognito-accounts.js";
import { checkJava, JavaMissingError } from "../local/dynamodb-local.js";
import { isPortFree } from "../local/free-port.js";
import { type LocalRoute, type RunningHttpApi, startHttpApi } from "../local/http-server.js";
import { createJwtAuthorizer } from "../local/jwt-authorizer.js";
import { watchNpmLauncher } from "../local/launcher-watch.js";
import { LOCAL_SIGN_UP_PATH, localSignUpRoute } from "../local/local-sign-up.js";
import { LOCAL_NAMES, STACK_ENV_FILE, startLocalStack } from "../local/local-stack.js";
import { DownloadError } from "../local/movielens-download.js";
import { sampleUserToken } from "../local/sample-accounts.js";
import { uploadSampleData } from "../local/sample-data.js";
import { removeStackState, writeStackState } from "../local/stack-state.js";
import { parseStartOptions, START_USAGE, type StartOptions } from "../local/start-options.js";
import { createTrainingConsole } from "../local/training-console.js";
import { buildWebSite } from "../local/web-site.js";
import { createTableRef } from "../shared/adapters/dynamo-client.js";
import { ROUTES } from "../shared/constants.js";
import { RatingsFormatError, TrainingError, ValidationError } from "../shared/domain/errors.js";
import { ENV } from "../shared/env-names.js";
import { CliFileError, checkInputFile } from "./cli-files.js";

/** Printed once every route is served; the orchestration test waits for it. */
const READY = "cinecluster is serving on";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  let options: StartOptions;
  try {
    options = parseStartOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(`error: ${error.message}\n${START_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    say(START_USAGE.trim());
    return;
  }
  const startedAt = performance.now();
  const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);

  // Input files are checked before anything starts (not after DynamoDB Local is up).
  if (options.data.kind === "files") {
    for (const [flag, file] of [
      ["ratings", options.data.ratings],
      ["movies", options.data.movies],
    ] as const) {
      if (file === undefined) continue;
      try {
        checkInputFile(flag, file);
      } catch (error) {
        if (!(error instanceof CliFileError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
    }
  }

  try {
    await checkJava();
  } catch (error) {
    if (!(error instanceof JavaMissingError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  if (!(await isPortFree(options.port, options.host))) {
    process.stderr.write(
      `error: port ${options.port} on ${options.host} is already in use. Stop whatever is listening there, ` +
        `or pick another port: npm start -- --port ${options.port + 1}\n`,
    );
    process.exitCode = 1;
    return;
  }

  const where = path.relative(process.cwd(), options.dataDir) || ".";
  say(
    `Starting DynamoDB Local (${options.persist ? `tables in ${where}/dynamodb` : "tables in memory"}) and s3rver ` +
      `(objects in ${where}/s3)${options.reset ? ", local data wiped first" : ""} ...`,
  );
  const extraEnv: Record<string, string> = {};
  if (options.k !== undefined) extraEnv[ENV.k] = options.k;
  if (options.seed !== undefined) extraEnv[ENV.seed] = options.seed;
  const stack = await startLocalStack({
    dataDir: options.dataDir,
    reset: options.reset,
    dynamoInMemory: !options.persist,
    extraEnv,
  });
  say(
    `  DynamoDB Local ${stack.dynamo.endpoint} (java pid ${stack.dynamo.pid}), s3rver ${stack.s3.endpoint}`,
  );
  // `npm run admin` finds the running stack here (removed on stop).
  const stackEnvFile = path.join(options.dataDir, STACK_ENV_FILE);
  writeFileSync(stackEnvFile, `${JSON.stringify(stack.env, null, 2)}\n`);

  let api: RunningHttpApi | undefined;
  let retrainTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      say(`\n${signal}: stopping ...`);
      if (retrainTimer) clearInterval(retrainTimer);
      rmSync(stackEnvFile, { force: true });
      removeStackState(options.dataDir);
      await api?.close();
      await stack.stop();
      say("Stopped: HTTP server, DynamoDB Local, s3rver and cognito-local.");
    })();
    return stopping;
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      void stop(signal).finally(() => process.exit(0));
    });
  }
  watchNpmLauncher(() => {
    void stop("npm exited").finally(() => process.exit(0));
  });
  // Nothing works without the emulators: if one ends on its own, say which and how, and stop everything.
  void stack.died.then((what) => {
    process.stderr.write(`error: ${what}; the service cannot run without it. Run npm start again.\n`);
    void stop("a local service died").finally(() => process.exit(1));
  });

  try {
    // The handlers read their configuration at import (cold start), exactly as in Lambda.
    Object.assign(process.env, stack.env);
    const { createTrainDeps } = await import("../functions/train-model/deps.js");
    const { createHandler } = await import("../functions/train-model/create-handler.js");
    const { loadTrainConfig } = await import("../shared/config.js");
    const trainDeps = createTrainDeps(loadTrainConfig());

    const data = await uploadSampleData(
      trainDeps.objects,
      { ratingsKey: LOCAL_NAMES.ratingsKey, moviesKey: LOCAL_NAMES.moviesKey },
      options.data,
      path.join(options.dataDir, "datasets"),
      say,
    );
    say(`Uploaded ${data.description}`);

    const trainingConsole = createTrainingConsole(say);
    const train = createHandler({ ...trainDeps, ...trainingConsole.deps });
    const runTraining = async (why: string) => {
      say(`Training (${why}) ...`);
      trainingConsole.begin();
      const result = await train({ source: "cinecluster.local", reason: why });
      trainingConsole.finish(result);
      return result;
    };
    await runTraining("start");

    const routes: LocalRoute[] = [];
    for (const route of ROUTES) {
      const module = (await import(`../functions/${route.functionName}/handler.js`)) as {
        handler: LocalRoute["handler"];
      };
      routes.push({
        method: route.method,
        path: route.path,
        handler: module.handler,
        functionName: route.functionName,
        personal: route.personal,
      });
    }
    const pool = stack.userPool;
    routes.push(localSignUpRoute(pool));
    const staticFiles = await buildWebSite(webConfig(pool));
    api = await startHttpApi(routes, {
      port: options.port,
      host: options.host,
      staticFiles,
      onError: (error, routeKey) => console.error(`${routeKey} failed:`, error),
      authorizer: createJwtAuthorizer({
        issuer: pool.issuer,
        audience: [pool.clientId],
        jwksUri: pool.jwksUri,
      }),
    });
    const url = `http://${options.host === "127.0.0.1" ? "localhost" : options.host}:${api.port}`;
    // Sample users sign in with this password (local only, never printed); npm run token reads it here.
    const samplePassword = `${randomBytes(18).toString("base64url")}-Aa1`;
    writeStackState(options.dataDir, {
      pid: process.pid,
      apiUrl: url,
      region: LOCAL_NAMES.region,
      tableName: LOCAL_NAMES.table,
      dynamoEndpoint: stack.dynamo.endpoint,
      userPool: pool,
      samplePassword,
    });
    say(`${READY} ${url} (ready in ${seconds()} s)`);
    say(`  Web page: ${url}/ (open it in a browser)`);
    say(
      `  cognito-local ${stack.cognito.endpoint} (pid ${stack.cognito.pid}), user pool ${pool.userPoolId}, app client ${pool.clientId}`,
    );
    const user = data.exampleUserId ?? 1;
    const table = createTableRef({
      tableName: LOCAL_NAMES.table,
      dynamoEndpoint: stack.dynamo.endpoint,
      region: LOCAL_NAMES.region,
    });
    const token = await sampleUserToken(pool, table, samplePassword, user);
    await printExamples(url, user, token);

    if (options.retrainEveryMs !== null) {
      let running = false;
      retrainTimer = setInterval(() => {
        if (running) return;
        running = true;
        runTraining("scheduled retrain")
          .catch(async () => {
            // Nothing serves before the first model: say so instead of "keeps serving".
            const health = (await fetch(`${url}/health`).then(
              (r) => r.json(),
              () => ({}),
            )) as { modelVersion?: string | null };
            say(
              health.modelVersion
                ? "Retraining failed; the previous model keeps serving."
                : "Retraining failed; there is no model yet (recommendations answer 404 until one is trained).",
            );
          })
          .finally(() => {
            running = false;
          });
      }, options.retrainEveryMs);
      say(`Retraining every ${options.retrainEveryMs / 1000} s.`);
    }
    say("Press Ctrl-C to stop.");
  } catch (error) {
    await stop("startup failed");
    throw error;
  }
}

/** Prints example requests with a real user id and a movie the model really recommends to that user. */
async function printExamples(url: string, user: number, token: string): Promise<void> {
  let movieId: number | null = null;
  try {
    const response = await fetch(`${url}/users/${user}/recommendations?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as {
      items?: { movieId: number }[];
      recommendations?: { movieId: number }[];
    };
    movieId = (body.items ?? body.recommendations ?? [])[0]?.movieId ?? null;
  } catch {
    movieId = null;
  }
  const movie = movieId ?? 1;
  const auth = `-H "authorization: Bearer $TOKEN"`;
  say("");
  say("Try:");
  say(`  curl ${url}/health`);
  say(`  TOKEN=$(npm run -s token -- --user ${user})`);
  say(`  curl ${auth} '${url}/users/${user}/recommendations?limit=5'`);
  say(
    `  curl -X POST ${url}/users/${user}/favourites ${auth} -H 'content-type: application/json' -d '{"movieId": ${movie}}'`,
  );
  say(`  curl ${auth} ${url}/users/${user}/favourites`);
  say(`  curl -X DELETE ${auth} ${url}/users/${user}/favourites/${movie}`);
  say(`  curl '${url}/movies/popular?limit=5'`);
  say(`  curl ${url}/clusters/0`);
  say(`  curl ${url}/model`);
  say("");
}

main().catch((error: unknown) => {
  if (error instanceof DownloadError || error instanceof ValidationError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else if (error instanceof RatingsFormatError || error instanceof TrainingError) {
    process.stderr.write(`error: training failed: ${error.message}\n`);
  } else {
    console.error(error);
  }
  process.exit(1);
});

/** What the page reads from /config.json: sign in with a password against this stack's cognito-local. */
function webConfig(pool: LocalUserPool): unknown {
  return {
    auth: {
      mode: "password",
      endpoint: pool.endpoint,
      clientId: pool.clientId,
      signUpPath: LOCAL_SIGN_UP_PATH,
    },
  };
}
