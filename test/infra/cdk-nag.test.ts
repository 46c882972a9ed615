import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/build-app.js";
import { ROUTES } from "../../shared/constants.js";
import { CDK_JSON_CONTEXT, removeSynthOutputs, synthStack } from "../helpers/synth-stack.js";

afterAll(removeSynthOutputs);

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** The app exactly as infra/app.ts builds it (buildApp registers cdk-nag), without bundling. */
function newApp(outdir?: string): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, "aws:cdk:bundling-stacks": [] },
    builtinCloudFormationValidation: false,
    ...(outdir ? { outdir } : {}),
  });
}

describe("cdk-nag AwsSolutions checks", () => {
  it("reject a stack with known violations, naming each rule and construct, and nothing else", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "cinecluster-nag-"));
    try {
      const app = newApp(outdir);
      const stack = buildApp(app);
      // A bucket without access logs (S1) or TLS enforcement (S10); a queue without a dead-letter queue
      // (SQS3) or TLS enforcement (SQS4). Everything else in the app is the real stack.
      new Bucket(stack, "CarelessBucket");
      new Queue(stack, "CarelessQueue");
      expect(() => app.synth()).toThrow(/AwsSolutions::AwsSolutions-S10/);
      const report = JSON.parse(
        readFileSync(path.join(outdir, "validation-report.json"), "utf8"),
      ) as ValidationReport;
      const findings = report.pluginReports
        .flatMap((plugin) => plugin.violations)
        .flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`))
        .sort();
      // Any finding on the real stack's own resources would be listed here too, and fail the test.
      expect(findings).toEqual([
        "AwsSolutions-S1 cinecluster-dev/CarelessBucket/Resource",
        "AwsSolutions-S10 cinecluster-dev/CarelessBucket/Resource",
        "AwsSolutions-SQS3 cinecluster-dev/CarelessQueue/Resource",
        "AwsSolutions-SQS4 cinecluster-dev/CarelessQueue/Resource",
      ]);
      expect(report.pluginReports.map((plugin) => [plugin.pluginName, plugin.conclusion])).toEqual([
        ["AwsSolutions", "failure"],
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("pass on the stack as deployed: synth does not throw", () => {
    expect(() => synthStack()).not.toThrow();
  });

  it("pass for a production stage with a narrowed CORS origin and an alarm e-mail too", () => {
    expect(() =>
      synthStack({ stage: "prod", corsOrigins: ["https://films.example"], alarmEmail: "ops@example.org" }),
    ).not.toThrow();
  });

  it("name a reason for every acknowledgement", () => {
    const app = newApp();
    const stack = buildApp(app);
    const acknowledged = stack.node
      .findAll()
      .flatMap((node) =>
        node.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
      )
      .map(([id, reason]) => ({ id, reason }));
    const ids = acknowledged.map((ack) => ack.id.replace(/^[A-Za-z]+::/, "").replace(/\[.*$/, "")).sort();
    expect(ids).toEqual(
      [
        // One per public route: the personal routes have the JWT authorizer.
        ...ROUTES.filter((route) => !route.personal).map(() => "AwsSolutions-APIG4"),
        // The web page's distribution, and CDK's own BucketDeployment role (each IAM5 names one wildcard).
        "AwsSolutions-CFR1",
        "AwsSolutions-CFR2",
        "AwsSolutions-CFR4",
        "AwsSolutions-IAM4",
        ...Array.from({ length: 8 }, () => "AwsSolutions-IAM5"),
        "AwsSolutions-L1",
        "AwsSolutions-COG2",
        "AwsSolutions-COG3",
        "AwsSolutions-COG8",
        "AwsSolutions-IAM5",
        "AwsSolutions-IAM5",
        // X-Ray's PutTraceSegments has no resource-level permissions: one per API function (active tracing).
        ...ROUTES.map(() => "AwsSolutions-IAM5"),
        "AwsSolutions-S1",
        "AwsSolutions-SNS2",
        "AwsSolutions-SQS3",
      ].sort(),
    );
    for (const ack of acknowledged) expect(ack.reason.length).toBeGreaterThan(40);
  });
});
