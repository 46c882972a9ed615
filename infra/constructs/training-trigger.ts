import { Duration } from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { Bucket, CfnBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Options of {@link TrainingTrigger}. */
export interface TrainingTriggerProps {
  readonly bucket: Bucket;
  /** The object whose upload retrains: exactly this key. */
  readonly ratingsKey: string;
  readonly trainFunction: IFunction;
  /** Where an event that could not be delivered after its retries waits (the schedule's queue, alarmed). */
  readonly deadLetterQueue: IQueue;
}

/** How often EventBridge retries delivering an upload event to the training function, and for how long. */
const UPLOAD_TRIGGER_RETRY = { attempts: 3, maxEventAge: Duration.hours(2) } as const;

/**
 * Retraining when the ratings object is uploaded: S3 sends its events to EventBridge, and a rule matching
 * "Object Created" for exactly the ratings key invokes the training function (asynchronously, with retries
 * and the dead-letter queue). EventBridge rather than a bucket notification: the rule matches the exact key
 * (a notification filters by prefix and suffix only); it needs no custom resource and no bucket -> function
 * reference, which would close a dependency cycle (the function already names the bucket); and the bucket's
 * one notification configuration stays free. A burst of uploads trains once: the handler's training lock
 * turns an upload event that finds a run under way into a skip, not a failure.
 */
export class TrainingTrigger extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: TrainingTriggerProps) {
    super(scope, id);
    // The CloudFormation property itself (Bucket.eventBridgeEnabled would add a custom-resource Lambda).
    (props.bucket.node.defaultChild as CfnBucket).addPropertyOverride(
      "NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled",
      true,
    );
    this.rule = new Rule(this, "RatingsUploaded", {
      description: "cinecluster: retrain when the ratings object is uploaded",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [props.ratingsKey] } },
      },
      targets: [
        new LambdaFunction(props.trainFunction, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: UPLOAD_TRIGGER_RETRY.attempts,
          maxEventAge: UPLOAD_TRIGGER_RETRY.maxEventAge,
        }),
      ],
    });
  }
}
