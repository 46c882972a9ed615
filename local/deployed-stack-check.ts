import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
  type StackResourceSummary,
} from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";

/**
 * Compares a deployed stack with the template it was deployed from, through the AWS SDK: every resource the
 * emulator created is read back and its settings compared with the template's; every resource it skipped is
 * listed as not covered. Works against any endpoint (moto here; AWS itself with real credentials).
 */

/** A CloudFormation template, as `cdk synth` writes it. */
export interface Template {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** One comparison: what was checked, whether it held, and what was found. */
export interface CheckResult {
  readonly subject: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the check found: its comparisons, and the template's resources the emulator did not create. */
export interface StackCheck {
  readonly status: string;
  readonly results: readonly CheckResult[];
  /** Logical id and type of each resource in the template that the emulator skipped. */
  readonly notCovered: readonly { readonly logicalId: string; readonly type: string }[];
  /** Physical id of each created resource, by logical id. */
  readonly physicalIds: ReadonlyMap<string, string>;
}

/** Where the stack is deployed. */
export interface StackCheckTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly stackName: string;
}

type Physical = ReadonlyMap<string, string>;

/** Resolves `Ref` to the physical id CloudFormation reports; other intrinsics stay unresolved (undefined). */
function resolveValue(value: unknown, physical: Physical): string | undefined {
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (value && typeof value === "object" && "Ref" in value) return physical.get(String(value.Ref));
  return undefined;
}

function refersToMissing(value: unknown, physical: Physical): boolean {
  return value !== null && typeof value === "object" && "Ref" in value && !physical.has(String(value.Ref));
}

function same(subject: string, expected: unknown, actual: unknown): CheckResult {
  const ok = JSON.stringify(expected) === JSON.stringify(actual);
  return {
    subject,
    ok,
    detail: ok
      ? JSON.stringify(actual)
      : `expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`,
  };
}

function actionsOf(document: unknown): string[] {
  const statements = (document as { Statement?: unknown[] }).Statement ?? [];
  return statements
    .flatMap((statement) => {
      const action = (statement as { Action?: string | string[] }).Action ?? [];
      return Array.isArray(action) ? action : [action];
    })
    .sort();
}

async function checkFunction(
  lambda: LambdaClient,
  logicalId: string,
  props: Record<string, unknown>,
  physical: Physical,
): Promise<CheckResult[]> {
  const name = physical.get(logicalId)!;
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const expectedEnv = Object.entries(
    ((props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
      string,
      unknown
    >,
  )
    // A variable that names a resource moto did not create (the Cognito app client) is dropped by moto; that
    // resource is reported under "not covered", so the variable is not expected here.
    .filter(([, value]) => !refersToMissing(value, physical))
    .map(([key, value]) => [key, resolveValue(value, physical) ?? "(set by CloudFormation)"] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  const actualEnv = Object.entries(config.Environment?.Variables ?? {})
    .map(([key, value]) => {
      const expected = expectedEnv.find(([k]) => k === key)?.[1];
      return [key, expected === "(set by CloudFormation)" && value ? expected : value] as const;
    })
    .sort(([a], [b]) => a.localeCompare(b));
  const subject = `function ${String(props.Description ?? logicalId)}`;
  return [
    same(`${subject}: runtime`, props.Runtime, config.Runtime),
    same(`${subject}: handler`, props.Handler, config.Handler),
    same(`${subject}: memory (MB)`, props.MemorySize, config.MemorySize),
    same(`${subject}: timeout (s)`, props.Timeout, config.Timeout),
    same(`${subject}: environment`, Object.fromEntries(expectedEnv), Object.fromEntries(actualEnv)),
  ];
}

async function checkTable(
  dynamo: DynamoDBClient,
  props: Record<string, unknown>,
  tableName: string,
): Promise<CheckResult[]> {
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const gsis = (props.GlobalSecondaryIndexes ?? []) as {
    IndexName: string;
    KeySchema: unknown;
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  }[];
  const ttlSpec = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
  return [
    same("table: key schema", props.KeySchema, Table?.KeySchema),
    same(
      "table: billing mode",
      props.BillingMode,
      Table?.BillingModeSummary?.BillingMode ?? "PAY_PER_REQUEST",
    ),
    same(
      "table: global secondary indexes",
      gsis.map((g) => ({ name: g.IndexName, keys: g.KeySchema, projection: g.Projection.ProjectionType })),
      (Table?.GlobalSecondaryIndexes ?? []).map((g) => ({
        name: g.IndexName,
        keys: g.KeySchema,
        projection: g.Projection?.ProjectionType,
      })),
    ),
    same(
      "table: GSI projected attributes",
      gsis.map((g) => [...(g.Projection.NonKeyAttributes ?? [])].sort()),
      (Table?.GlobalSecondaryIndexes ?? []).map((g) => [...(g.Projection?.NonKeyAttributes ?? [])].sort()),
    ),
    same(
      "table: time to live",
      { attribute: ttlSpec?.AttributeName, status: ttlSpec?.Enabled ? "ENABLED" : "DISABLED" },
      {
        attribute: ttl.TimeToLiveDescription?.AttributeName,
        status: ttl.TimeToLiveDescription?.TimeToLiveStatus,
      },
    ),
  ];
}

async function checkBucket(s3: S3Client, logicalId: string, props: Record<string, unknown>, bucket: string) {
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  const expectedAlgorithm = (
    props.BucketEncryption as
      | { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] }
      | undefined
  )?.ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault.SSEAlgorithm;
  return [
    same(`bucket ${logicalId}: exists`, true, true),
    same(
      `bucket ${logicalId}: versioning`,
      (props.VersioningConfiguration as { Status?: string } | undefined)?.Status ?? "off",
      versioning.Status ?? "off",
    ),
    same(
      `bucket ${logicalId}: encryption`,
      expectedAlgorithm,
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
        ?.SSEAlgorithm,
    ),
  ];
}

async function checkRole(
  iam: IAMClient,
  logicalId: string,
  roleName: string,
  policies: readonly { props: Record<string, unknown> }[],
): Promise<CheckResult[]> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  const deployed: string[] = [];
  for (const policyName of names) {
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    deployed.push(...actionsOf(JSON.parse(decodeURIComponent(policy.PolicyDocument ?? "{}"))));
  }
  const expected = policies.flatMap((p) => actionsOf(p.props.PolicyDocument)).sort();
  return [
    same(`role ${logicalId}: exists`, true, Role?.RoleName === roleName),
    same(`role ${logicalId}: allowed actions`, expected, deployed.sort()),
  ];
}

/**
 * Reads the deployed stack back with the SDK and compares it with its template: the stack's status; the
 * table's keys, GSI and TTL; each bucket's versioning and encryption; each function's runtime, handler,
 * memory, timeout and environment; the queue's retention; the topic; each role and the actions its inline
 * policies allow. Resources the emulator did not create are returned as `notCovered`, not as failures.
 */
export async function checkDeployedStack(target: StackCheckTarget, template: Template): Promise<StackCheck> {
  const clientOptions = { endpoint: target.endpoint, region: target.region, credentials: target.credentials };
  const cfn = new CloudFormationClient(clientOptions);
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: target.stackName }))).Stacks?.[0];
  const summaries: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: target.stackName })) {
    summaries.push(...(page.StackResourceSummaries ?? []));
  }
  // moto lists a resource it skipped with an empty type; a resource it never saw is not listed at all.
  const created = new Map(
    summaries
      .filter((s) => s.ResourceType && s.ResourceStatus === "CREATE_COMPLETE")
      .map((s) => [s.LogicalResourceId!, s.PhysicalResourceId ?? ""]),
  );
  const lambda = new LambdaClient(clientOptions);
  const dynamo = new DynamoDBClient(clientOptions);
  const s3 = new S3Client({ ...clientOptions, forcePathStyle: true });
  const sqs = new SQSClient(clientOptions);
  const sns = new SNSClient(clientOptions);
  const iam = new IAMClient(clientOptions);

  const results: CheckResult[] = [same("stack: status", "CREATE_COMPLETE", stack?.StackStatus)];
  const notCovered: { logicalId: string; type: string }[] = [];
  const resources = Object.entries(template.Resources);
  const policiesOfRole = (roleId: string) =>
    resources
      .filter(
        ([, r]) =>
          r.Type === "AWS::IAM::Policy" &&
          ((r.Properties?.Roles ?? []) as { Ref?: string }[]).some((ref) => ref.Ref === roleId),
      )
      .map(([, r]) => ({ props: r.Properties ?? {} }));

  for (const [logicalId, resource] of resources) {
    const props = resource.Properties ?? {};
    const physicalId = created.get(logicalId);
    if (physicalId === undefined) {
      notCovered.push({ logicalId, type: resource.Type });
      continue;
    }
    switch (resource.Type) {
      case "AWS::Lambda::Function":
        results.push(...(await checkFunction(lambda, logicalId, props, created)));
        break;
      case "AWS::DynamoDB::Table":
        results.push(...(await checkTable(dynamo, props, physicalId)));
        break;
      case "AWS::S3::Bucket":
        results.push(...(await checkBucket(s3, logicalId, props, physicalId)));
        break;
      case "AWS::SQS::Queue": {
        const attributes = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: physicalId, AttributeNames: ["MessageRetentionPeriod"] }),
        );
        results.push(
          same(
            `queue ${logicalId}: retention (s)`,
            String(props.MessageRetentionPeriod ?? 345_600),
            attributes.Attributes?.MessageRetentionPeriod,
          ),
        );
        break;
      }
      case "AWS::SNS::Topic": {
        const attributes = await sns.send(new GetTopicAttributesCommand({ TopicArn: physicalId }));
        results.push(
          same(`topic ${logicalId}: display name`, props.DisplayName, attributes.Attributes?.DisplayName),
        );
        break;
      }
      case "AWS::IAM::Role":
        results.push(...(await checkRole(iam, logicalId, physicalId, policiesOfRole(logicalId))));
        break;
      default:
        // Created (log groups, policies, permissions, bootstrap metadata): its existence is the check.
        break;
    }
  }
  for (const client of [cfn, lambda, dynamo, s3, sqs, sns, iam]) client.destroy();
  return { status: stack?.StackStatus ?? "MISSING", results, notCovered, physicalIds: created };
}
