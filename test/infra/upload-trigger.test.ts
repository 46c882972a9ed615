import { describe, expect, it } from "vitest";
import { functionIds, idOf, resourcesOfType, synthOncePerFile, synthStack } from "../helpers/synth-stack.js";

const synth = synthOncePerFile();

type Props = Record<string, unknown>;

function uploadRule(template = synth.template): Props {
  const rules = Object.values(resourcesOfType(template, "AWS::Events::Rule"));
  expect(rules).toHaveLength(1);
  return rules[0]!.Properties;
}

describe("retraining on upload", () => {
  it("sends the data bucket's events to EventBridge through the bucket's own property, no custom resource", () => {
    const bucket = resourcesOfType(synth.template, "AWS::S3::Bucket")[
      idOf(synth.stack, synth.stack.data.bucket)
    ]!;
    expect(bucket.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(Object.keys(resourcesOfType(synth.template, "Custom::S3BucketNotifications"))).toEqual([]);
    const logBucket = resourcesOfType(synth.template, "AWS::S3::Bucket")[
      idOf(synth.stack, synth.stack.data.accessLogBucket)
    ]!;
    expect(logBucket.Properties.NotificationConfiguration).toBeUndefined();
  });

  it("matches Object Created for exactly the ratings key in the data bucket", () => {
    expect(uploadRule().EventPattern).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: {
        bucket: { name: [{ Ref: idOf(synth.stack, synth.stack.data.bucket) }] },
        object: { key: ["input/ratings.csv"] },
      },
    });
    expect(uploadRule().State).toBe("ENABLED");
  });

  it("follows the ratingsKey context", () => {
    const other = synthStack({ ratingsKey: "uploads/latest.csv" });
    expect(uploadRule(other.template).EventPattern).toMatchObject({
      detail: { object: { key: ["uploads/latest.csv"] } },
    });
  });

  it("invokes the training function with retries and the schedule's dead-letter queue", () => {
    const targets = uploadRule().Targets as Props[];
    expect(targets).toHaveLength(1);
    const dlqId = idOf(synth.stack, synth.stack.schedule.deadLetterQueue);
    expect(targets[0]).toMatchObject({
      Arn: { "Fn::GetAtt": [functionIds(synth.stack, "train-model").fn, "Arn"] },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
      DeadLetterConfig: { Arn: { "Fn::GetAtt": [dlqId, "Arn"] } },
    });
  });

  it("lets EventBridge invoke only the training function, and only from this rule", () => {
    const ruleId = Object.keys(resourcesOfType(synth.template, "AWS::Events::Rule"))[0]!;
    const fromEvents = Object.values(resourcesOfType(synth.template, "AWS::Lambda::Permission")).filter(
      (p) => p.Properties.Principal === "events.amazonaws.com",
    );
    expect(fromEvents).toHaveLength(1);
    expect(fromEvents[0]!.Properties).toMatchObject({
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [functionIds(synth.stack, "train-model").fn, "Arn"] },
      SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
    });
  });
});
