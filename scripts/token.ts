/**
 * `npm run -s token -- --user <userId>`: prints an access token of that user for the running local stack
 * (`npm start`), one line and nothing else on stdout, for `authorization: Bearer ...`. It finds the stack
 * through the state file npm start writes (<data dir>/local-stack.json), and opens the user's local sign-in
 * on first use (local/sample-accounts.ts).
 */
import path from "node:path";
import { sampleUserToken } from "../local/sample-accounts.js";
import { readStackState, StackNotRunningError } from "../local/stack-state.js";
import { DEFAULT_DATA_DIR } from "../local/start-options.js";
import { createTableRef } from "../shared/adapters/dynamo-client.js";
import { CliArgs, runCli } from "./cli-args.js";

const USAGE = `
Usage: npm run -s token -- --user <userId> [--data-dir <dir>]

Prints an access token of user <userId> for the local stack that npm start runs (one line), e.g.
  TOKEN=$(npm run -s token -- --user 1)
  curl -H "authorization: Bearer $TOKEN" http://localhost:3000/users/1/recommendations

  --user <userId>     a user of the ratings data (1 .. 1000000000)
  --data-dir <dir>    the data folder npm start was given (default .local-data/)
`;

await runCli(USAGE, async (argv) => {
  const args = new CliArgs(argv, { user: "value", "data-dir": "value" });
  const userId = args.requiredInt("user", { min: 1, max: 1_000_000_000 });
  const dataDir = path.resolve(args.optional("data-dir") ?? DEFAULT_DATA_DIR);
  try {
    const state = readStackState(dataDir);
    const table = createTableRef({
      tableName: state.tableName,
      dynamoEndpoint: state.dynamoEndpoint,
      region: state.region,
    });
    const token = await sampleUserToken(state.userPool, table, state.samplePassword, userId);
    process.stdout.write(`${token}\n`);
  } catch (error) {
    if (!(error instanceof StackNotRunningError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  }
});
