import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { REPORTS_PREFIX, tableStatements, trainingBucketStatements } from "../access-policies.js";
import {
  cdkBundlingOptions,
  handlerEntry,
  LOCK_FILE,
  PROJECT_ROOT,
  RUNTIME_NODE_OPTIONS,
} from "../bundling.js";
import { functionEnvironment } from "../function-environment.js";
import { ALL_FUNCTIONS, FUNCTION_SPECS, type FunctionName, isApiFunction } from "../function-specs.js";

const TRAIN: FunctionName = "train-model";

import { wildcardResourceFinding } from "../nag-findings.js";
import type { StackSettings } from "../settings.js";

/** Options of {@link ServiceFunctions}. */
export interface ServiceFunctionsProps {
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly settings: StackSettings;
  /** The user pool's token issuer and app client ids, for the functions of personal routes. */
  readonly auth: { readonly issuer: string; readonly clientIds: readonly string[] };
}

/**
 * One NodejsFunction per folder under functions/ (arm64, NODEJS_24_X, bundled locally by esbuild as
 * infra/bundling.ts says), each with its own log group and its own role. A role starts empty (no managed
 * policy): it may write its log group, and gets exactly the table and bucket statements its spec names.
 */
export class ServiceFunctions extends Construct {
  /** The function deployed from functions/<name>/, by name. */
  readonly byName: Readonly<Record<FunctionName, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: ServiceFunctionsProps) {
    super(scope, id);
    const { table, bucket, settings, auth } = props;
    const byName: Partial<Record<FunctionName, NodejsFunction>> = {};
    // The training function first: the administrative function is given its name and may invoke it.
    const order = [TRAIN, ...ALL_FUNCTIONS.filter((name) => name !== TRAIN)];
    for (const name of order) {
      const spec = FUNCTION_SPECS[name];
      const api = isApiFunction(name);
      const logGroup = new LogGroup(this, `${name}-logs`, {
        retention: settings.logRetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new Role(this, `${name}-role`, {
        assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
        description: `cinecluster ${name}: its log group and the access infra/function-specs.ts names`,
      });
      logGroup.grantWrite(role);
      for (const statement of tableStatements(spec.tableAccess, table.tableArn)) role.addToPolicy(statement);
      if (spec.bucketAccess) {
        const objects = {
          bucketArn: bucket.bucketArn,
          ratingsKey: settings.ratingsKey,
          moviesKey: settings.moviesKey,
          reportsPrefix: REPORTS_PREFIX,
        };
        for (const statement of trainingBucketStatements(objects)) role.addToPolicy(statement);
        Validations.of(role).acknowledge({
          id: wildcardResourceFinding(this, bucket.bucketArn, `/${REPORTS_PREFIX}*`),
          reason:
            "Report keys carry the model version, created at run time; the wildcard is confined to the " +
            "reports prefix, and the ratings are readable by exact key only.",
        });
      }
      const fn = new NodejsFunction(this, name, {
        description: `cinecluster ${name}`,
        entry: handlerEntry(name),
        handler: "handler",
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: LOCK_FILE,
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memoryMb,
        // API functions send X-Ray traces (Powertools Tracer); training and admin runs are not traced.
        tracing: api ? Tracing.ACTIVE : Tracing.DISABLED,
        timeout: Duration.seconds(spec.timeoutSeconds),
        environment: {
          ...functionEnvironment(
            spec.config,
            {
              tableName: table.tableName,
              bucketName: bucket.bucketName,
              authIssuer: auth.issuer,
              authClientIds: auth.clientIds,
              trainFunctionName: byName[TRAIN]?.functionName ?? "",
            },
            settings,
          ),
          NODE_OPTIONS: RUNTIME_NODE_OPTIONS,
        },
        // The training function also ships the worker-thread script its worker pool loads.
        bundling: cdkBundlingOptions({ withWorker: name === "train-model" }),
        logGroup,
        role,
      });
      if (spec.config === "admin") {
        // Starts a training run: an asynchronous invoke of that one function, by exact ARN.
        role.addToPolicy(
          new PolicyStatement({
            sid: "StartTraining",
            actions: ["lambda:InvokeFunction"],
            resources: [byName[TRAIN]!.functionArn],
          }),
        );
      }
      if (api) {
        Validations.of(role).acknowledge({
          id: "AwsSolutions-IAM5[Resource::*]",
          reason:
            "Active tracing's xray:PutTraceSegments and xray:PutTelemetryRecords: X-Ray has no resource-level " +
            "permissions for them, so AWS documents Resource * (the only wildcard these roles hold).",
        });
      }
      byName[name] = fn;
    }
    this.byName = byName as Record<FunctionName, NodejsFunction>;
  }
}
