import { App, Validations } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/build-app.js";
import { CDK_JSON_CONTEXT, removeSynthOutputs, synthStack } from "../helpers/synth-stack.js";

afterAll(removeSynthOutputs);

interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
}

describe("cdk-nag AwsSolutions checks", () => {
  it("pass on the stack, with no unacknowledged finding", () => {
    const { assembly } = synthStack();
    const report = JSON.parse(
      readFileSync(path.join(assembly.directory, "validation-report.json"), "utf8"),
    ) as ValidationReport;
    // A plugin that found nothing unacknowledged leaves no report (the next test shows the plugin runs).
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
    expect(report.pluginReports.filter((r) => r.conclusion !== "success")).toEqual([]);
  });

  it("pass for a production stage with a narrowed CORS origin and an alarm e-mail too", () => {
    expect(() =>
      synthStack({ stage: "prod", corsOrigins: ["https://films.example"], alarmEmail: "ops@example.org" }),
    ).not.toThrow();
  });

  it("run on every synth, and fail it on a finding nobody acknowledged", () => {
    const app = new App({
      context: { ...CDK_JSON_CONTEXT, "aws:cdk:bundling-stacks": [] },
      builtinCloudFormationValidation: false,
    });
    const stack = buildApp(app);
    // A bucket without TLS enforcement or access logs: AwsSolutions-S1 and -S10.
    new Bucket(stack, "CarelessBucket");
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });

  it("name a reason for every acknowledgement", () => {
    const app = new App({
      context: { ...CDK_JSON_CONTEXT, "aws:cdk:bundling-stacks": [] },
      builtinCloudFormationValidation: false,
    });
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
        "AwsSolutions-APIG4",
        "AwsSolutions-IAM5",
        "AwsSolutions-IAM5",
        "AwsSolutions-S1",
        "AwsSolutions-SNS2",
        "AwsSolutions-SQS3",
      ].sort(),
    );
    for (const ack of acknowledged) expect(ack.reason.length).toBeGreaterThan(40);
  });
});
