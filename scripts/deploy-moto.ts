import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stackName } from "../infra/cinecluster-stack.js";
import { CONTEXT_DEFAULTS } from "../infra/settings.js";
import { type CheckResult, checkDeployedStack, type Template } from "../local/deployed-stack-check.js";
import { MotoMissingError, type MotoServer, startMotoServer } from "../local/moto-server.js";
import { createTableRef, deleteItem, getItem, putItem } from "../shared/adapters/dynamo-client.js";
import { S } from "../shared/adapters/dynamo-codec.js";
import { createS3ObjectStore } from "../shared/adapters/s3-objects.js";

/**
 * `npm run deploy:moto`: a deploy check on moto, not on LocalStack (which cannot run here: see the README).
 * Starts `moto_server` on a free port, synthesises the app once, bootstraps and deploys it with cdklocal,
 * reads back with the SDK what exists and compares it with the template, does a write/read round trip
 * through the project's own S3 and DynamoDB adapters, lists what moto skipped as "not covered by this
 * check", and stops the server. Exit code 1 when any comparison fails or the deploy does not complete.
 */

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const root = path.resolve(import.meta.dirname, "..");

/**
 * Properties moto 5.2.1's CloudFormation accepts and does not apply (seen here: the table's TTL reads back
 * DISABLED, the data bucket's versioning reads back unset). A comparison of one of these that fails is
 * reported as not covered, with what moto returned; if moto starts applying them, they are compared again.
 */
const MOTO_PROPERTY_GAPS: readonly { readonly subject: RegExp; readonly what: string }[] = [
  {
    subject: /^table: time to live$/,
    what: "DynamoDB TimeToLiveSpecification (moto's CloudFormation ignores it)",
  },
  {
    subject: /^bucket .*: versioning$/,
    what: "S3 VersioningConfiguration (moto's CloudFormation ignores it)",
  },
];

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(command)} ${args[0]} failed (exit ${code}):\n${output}`)),
    );
  });
}

async function roundTrip(endpoint: string, tableName: string, bucket: string): Promise<CheckResult[]> {
  const stamp = `deploy-check-${process.pid}`;
  const objects = createS3ObjectStore({ bucket, region: REGION, endpoint, credentials: CREDENTIALS });
  const text = `userId,movieId,rating,timestamp\n1,2,4.5,${process.pid}\n`;
  await objects.putText(`${stamp}/ratings.csv`, text, "text/csv");
  const chunks: Buffer[] = [];
  for await (const chunk of (await objects.getStream(`${stamp}/ratings.csv`)).body)
    chunks.push(Buffer.from(chunk));
  const listed = await objects.list(`${stamp}/`);
  await objects.delete(`${stamp}/ratings.csv`);

  const table = createTableRef({ tableName, dynamoEndpoint: endpoint, region: REGION });
  const key = { pk: `CHECK#${stamp}`, sk: "ROUND-TRIP" };
  await putItem(table, { Item: { pk: S(key.pk), sk: S(key.sk), note: S(text) } });
  const item = await getItem(table, key, { consistent: true });
  await deleteItem(table, { Key: { pk: S(key.pk), sk: S(key.sk) } });
  const gone = await getItem(table, key, { consistent: true });
  return [
    {
      subject: "S3 adapter: putText then getStream returns the same bytes",
      ok: Buffer.concat(chunks).toString() === text,
      detail: `${chunks.length} chunk(s)`,
    },
    {
      subject: "S3 adapter: list sees the object",
      ok: listed.length === 1 && listed[0] === `${stamp}/ratings.csv`,
      detail: JSON.stringify(listed),
    },
    {
      subject: "DynamoDB adapter: putItem then consistent getItem",
      ok: item?.note?.S === text,
      detail: JSON.stringify(item?.sk),
    },
    {
      subject: "DynamoDB adapter: deleteItem removes it",
      ok: gone === undefined,
      detail: gone === undefined ? "absent" : "still there",
    },
  ];
}

async function main(): Promise<number> {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  let moto: MotoServer;
  try {
    moto = await startMotoServer(process.env.PATH ?? "");
  } catch (error) {
    if (error instanceof MotoMissingError) {
      console.error(`deploy:moto: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const work = mkdtempSync(path.join(tmpdir(), "cinecluster-moto-"));
  const outDir = path.join(work, "cdk.out");
  const stack = stackName(CONTEXT_DEFAULTS.stage);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    // cdklocal refuses AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3.
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    AWS_S3_FORCE_PATH_STYLE: "1",
    // CDK caches the account per access key under its home: a fresh one per run, so no other emulator's leaks in.
    CDK_HOME: path.join(work, "cdk-home"),
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const cdklocal = path.join(root, "node_modules", ".bin", "cdklocal");
  let failures = 0;
  try {
    console.log(`moto_server ${moto.endpoint} (pid ${moto.pid})`);
    // The web page (CloudFront, origin access control, CDK's BucketDeployment custom resource) is left out:
    // moto cannot run the custom resource's Lambda without Docker. test/infra/web-site.test.ts asserts it.
    await run(cdklocal, ["synth", "--quiet", "--output", outDir, "-c", "webSite=false"], env);
    console.log(`synth: ${seconds()}`);
    await run(cdklocal, ["bootstrap", "--app", outDir], env);
    console.log(`bootstrap: ${seconds()}`);
    await run(cdklocal, ["deploy", stack, "--app", outDir, "--require-approval", "never"], env);
    console.log(`deploy: ${seconds()}`);

    const template = JSON.parse(
      readFileSync(path.join(outDir, `${stack}.template.json`), "utf8"),
    ) as Template & {
      Outputs: Record<string, { Value: { Ref?: string } }>;
    };
    const check = await checkDeployedStack(
      { endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS, stackName: stack },
      template,
    );
    const tableName = check.physicalIds.get(template.Outputs.TableName?.Value.Ref ?? "");
    const bucket = check.physicalIds.get(template.Outputs.BucketName?.Value.Ref ?? "");
    const gaps = check.results.filter(
      (r) => !r.ok && MOTO_PROPERTY_GAPS.some((g) => g.subject.test(r.subject)),
    );
    const results = check.results.filter((r) => !gaps.includes(r));
    if (tableName && bucket) results.push(...(await roundTrip(moto.endpoint, tableName, bucket)));
    else
      results.push({
        subject: "round trip: table and bucket found",
        ok: false,
        detail: `${tableName} ${bucket}`,
      });

    for (const result of results)
      console.log(`${result.ok ? "ok  " : "FAIL"} ${result.subject}: ${result.detail}`);
    failures = results.filter((r) => !r.ok).length;

    const byType = new Map<string, number>();
    for (const { type } of check.notCovered) byType.set(type, (byType.get(type) ?? 0) + 1);
    console.log(
      "\nnot covered by this check (in the template, skipped by moto, so never created or compared):",
    );
    for (const [type, count] of [...byType].sort()) console.log(`  ${type} x${count}`);
    for (const gap of gaps) {
      const what = MOTO_PROPERTY_GAPS.find((g) => g.subject.test(gap.subject))!.what;
      console.log(`  ${gap.subject}: ${what}; ${gap.detail}`);
    }
    console.log(
      "  the web page (CloudFront distribution, origin access control, site bucket, file deployment)",
    );
    console.log(
      "  and, for every function: its code never runs (moto runs Lambda code only in Docker), IAM is not enforced.",
    );
    console.log(
      `\ndeploy check on moto (not LocalStack): ${results.length - failures} passed, ${failures} failed, ` +
        `${check.notCovered.length} resources not covered, ${seconds()}`,
    );
  } finally {
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return failures === 0 ? 0 : 1;
}

const USAGE = `Usage: npm run deploy:moto

Deploys the stack to a moto_server on a free port (cdklocal), compares what exists with the template,
does a write/read round trip through the project's adapters, and stops the server. No flags.`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (process.argv.length > 2) {
  console.error(`error: unexpected argument ${process.argv[2]}\n\n${USAGE}`);
  process.exit(2);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`deploy:moto failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
