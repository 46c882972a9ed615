import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { FUNCTION_SPECS } from "../../infra/function-specs.js";
import { FUNCTION_NAMES, ROUTES, TABLE_SCHEMA } from "../../shared/constants.js";
import { functionIds, idOf, resourcesOfType, synthOncePerFile, synthStack } from "../helpers/synth-stack.js";

const synth = synthOncePerFile();

function onlyResource(type: string): { id: string; props: Record<string, unknown> } {
  const found = Object.entries(resourcesOfType(synth.template, type));
  expect(found).toHaveLength(1);
  return { id: found[0]![0], props: found[0]![1].Properties };
}

describe("data stores", () => {
  it("has one on-demand table with the keys, TTL, point-in-time recovery and the byCount GSI of TABLE_SCHEMA", () => {
    const { props } = onlyResource("AWS::DynamoDB::Table");
    expect(props.BillingMode).toBe("PAY_PER_REQUEST");
    expect(props.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "gsi1pk", AttributeType: "S" },
        { AttributeName: "gsi1sk", AttributeType: "N" },
      ]),
    );
    expect(props.AttributeDefinitions).toHaveLength(4);
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: "byCount",
        KeySchema: [
          { AttributeName: "gsi1pk", KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" },
        ],
        Projection: {
          ProjectionType: "INCLUDE",
          NonKeyAttributes: [...TABLE_SCHEMA.countIndex.nonKeyAttributes],
        },
      },
    ]);
  });

  it("deletes the table with a dev stack, and retains and protects it with prod", () => {
    synth.template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Delete" });
    const prod = synthStack({ stage: "prod" });
    prod.template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    expect(prod.stack.stackName).toBe("cinecluster-prod");
  });

  it("keeps the data bucket encrypted, versioned, private, access-logged, TLS only, and retained", () => {
    const dataBucketId = idOf(synth.stack, synth.stack.data.bucket);
    const logBucketId = idOf(synth.stack, synth.stack.data.accessLogBucket);
    const buckets = resourcesOfType(synth.template, "AWS::S3::Bucket");
    const webBucketId = idOf(synth.stack, synth.stack.web!.bucket);
    expect(Object.keys(buckets).sort()).toEqual([dataBucketId, logBucketId, webBucketId].sort());
    const data = buckets[dataBucketId]!.Properties;
    expect(data.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
    });
    expect(data.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(data.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(data.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: "data-bucket/",
    });
    synth.template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike(data),
    });
    for (const bucketId of [dataBucketId, logBucketId]) {
      synth.template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Principal: { AWS: "*" },
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });
});

describe("functions", () => {
  it("deploys one arm64 NODEJS_24_X function per folder, ESM bundle, sized by its spec", () => {
    const functions = resourcesOfType(synth.template, "AWS::Lambda::Function");
    // Ours, plus CDK's BucketDeployment handler that copies the web page into its bucket.
    const cdkOwn = Object.keys(functions).filter((id) => id.startsWith("CustomCDKBucketDeployment"));
    expect(cdkOwn).toHaveLength(1);
    expect(Object.keys(functions)).toHaveLength(FUNCTION_NAMES.length + 1);
    for (const name of FUNCTION_NAMES) {
      const props = functions[functionIds(synth.stack, name).fn]!.Properties;
      expect(props.Runtime).toBe("nodejs24.x");
      expect(props.Architectures).toEqual(["arm64"]);
      expect(props.Handler).toBe("index.handler");
      expect(props.MemorySize).toBe(FUNCTION_SPECS[name].memoryMb);
      expect(props.Timeout).toBe(FUNCTION_SPECS[name].timeoutSeconds);
    }
    const train = functions[functionIds(synth.stack, "train-model").fn]!.Properties;
    expect([train.MemorySize, train.Timeout]).toEqual([10_240, 900]);
    const recommend = functions[functionIds(synth.stack, "get-recommendations").fn]!.Properties;
    expect([recommend.MemorySize, recommend.Timeout]).toEqual([256, 10]);
  });

  it("gives each function its own log group, kept for the configured number of days", () => {
    const groups = resourcesOfType(synth.template, "AWS::Logs::LogGroup");
    const functions = resourcesOfType(synth.template, "AWS::Lambda::Function");
    const used = new Set<string>();
    for (const name of FUNCTION_NAMES) {
      const config = functions[functionIds(synth.stack, name).fn]!.Properties.LoggingConfig as {
        LogGroup: { Ref: string };
      };
      expect(groups[config.LogGroup.Ref]!.Properties.RetentionInDays).toBe(30);
      used.add(config.LogGroup.Ref);
    }
    expect(used.size).toBe(FUNCTION_NAMES.length);
    const longer = synthStack({ logRetentionDays: 90 });
    for (const group of Object.values(resourcesOfType(longer.template, "AWS::Logs::LogGroup"))) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
  });
});

describe("HTTP API", () => {
  it("has exactly the routes of ROUTES, each integrated with its own function", () => {
    const routes = Object.values(resourcesOfType(synth.template, "AWS::ApiGatewayV2::Route"));
    const integrations = resourcesOfType(synth.template, "AWS::ApiGatewayV2::Integration");
    const served = routes.map((route) => {
      const target = route.Properties.Target as { "Fn::Join": [string, unknown[]] };
      const integrationRef = target["Fn::Join"][1][1] as { Ref: string };
      const integration = integrations[integrationRef.Ref]!.Properties;
      expect(integration.IntegrationType).toBe("AWS_PROXY");
      expect(integration.PayloadFormatVersion).toBe("2.0");
      const uri = integration.IntegrationUri as { "Fn::GetAtt": [string, string] };
      return { routeKey: route.Properties.RouteKey, fn: uri["Fn::GetAtt"][0] };
    });
    const expected = ROUTES.map((route) => ({
      routeKey: `${route.method} ${route.path}`,
      fn: functionIds(synth.stack, route.functionName).fn,
    }));
    expect(served.sort((a, b) => String(a.routeKey).localeCompare(String(b.routeKey)))).toEqual(
      expected.sort((a, b) => a.routeKey.localeCompare(b.routeKey)),
    );
  });

  it("allows CORS from the configured origins for the methods the routes use", () => {
    const { props } = onlyResource("AWS::ApiGatewayV2::Api");
    expect(props.ProtocolType).toBe("HTTP");
    expect(props.CorsConfiguration).toEqual({
      AllowOrigins: ["http://localhost:3000"],
      AllowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      AllowHeaders: ["content-type", "authorization"],
      MaxAge: 3600,
    });
    const narrowed = synthStack({ corsOrigins: ["https://films.example"] });
    narrowed.template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["https://films.example"] }),
    });
  });

  it("throttles the $default stage and writes JSON access logs to a retained-for-30-days log group", () => {
    const { props } = onlyResource("AWS::ApiGatewayV2::Stage");
    expect(props.StageName).toBe("$default");
    expect(props.AutoDeploy).toBe(true);
    expect(props.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    const logs = props.AccessLogSettings as {
      DestinationArn: { "Fn::GetAtt": [string, string] };
      Format: string;
    };
    const group = resourcesOfType(synth.template, "AWS::Logs::LogGroup")[
      logs.DestinationArn["Fn::GetAtt"][0]
    ];
    expect(group!.Properties.RetentionInDays).toBe(30);
    const format = JSON.parse(logs.Format) as Record<string, string>;
    expect(format.requestId).toBe("$context.requestId");
    expect(format.status).toBe("$context.status");
    expect(format.routeKey).toBe("$context.routeKey");

    const tighter = synthStack({ throttleRate: "5", throttleBurst: "10" });
    tighter.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });
});

describe("outputs", () => {
  it("exports the API URL, the bucket, the table, the training and admin functions, the alarm topic and sign-in", () => {
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "AdminFunctionName",
        "AlarmTopicArn",
        "ApiUrl",
        "BucketName",
        "TableName",
        "TrainFunctionName",
        "UserPoolId",
        "WebClientId",
        "SignInDomain",
        "WebUrl",
      ].sort(),
    );
    expect(outputs.UserPoolId!.Value).toEqual({ Ref: idOf(synth.stack, synth.stack.accounts.userPool) });
    expect(outputs.WebClientId!.Value).toEqual({ Ref: idOf(synth.stack, synth.stack.accounts.webClient) });
    const tableId = idOf(synth.stack, synth.stack.data.table);
    const bucketId = idOf(synth.stack, synth.stack.data.bucket);
    expect(outputs.TableName!.Value).toEqual({ Ref: tableId });
    expect(outputs.BucketName!.Value).toEqual({ Ref: bucketId });
    expect(outputs.TrainFunctionName!.Value).toEqual({ Ref: functionIds(synth.stack, "train-model").fn });
    expect(outputs.ApiUrl!.Value).toEqual({
      "Fn::GetAtt": [idOf(synth.stack, synth.stack.api.api), "ApiEndpoint"],
    });
  });
});
