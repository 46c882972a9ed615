import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { StoreError } from "../domain/errors.js";

/** Where the training function is, and (tests) an endpoint override for the Lambda API. */
export interface TrainingStarterOptions {
  readonly region: string;
  readonly trainFunctionName: string;
  readonly endpoint?: string | undefined;
}

/** What starting a run answers: Lambda accepted the asynchronous invocation (HTTP 202). */
export interface TrainingStarted {
  readonly started: true;
  readonly functionName: string;
  readonly statusCode: number;
}

/**
 * Starts a training run now: an asynchronous invoke (`InvocationType: Event`) of the training function with
 * `{ source: "cinecluster.admin" }`, so the call returns as soon as Lambda queues it, and the run takes the
 * training lock like any other. Lambda's own retries of asynchronous invocations apply. A refusal becomes
 * StoreError with the SDK error as cause.
 */
export function createTrainingStarter(options: TrainingStarterOptions): () => Promise<TrainingStarted> {
  const client = new LambdaClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  return async () => {
    try {
      const output = await client.send(
        new InvokeCommand({
          FunctionName: options.trainFunctionName,
          InvocationType: "Event",
          Payload: Buffer.from(JSON.stringify({ source: "cinecluster.admin" })),
        }),
      );
      return { started: true, functionName: options.trainFunctionName, statusCode: output.StatusCode ?? 202 };
    } catch (error) {
      throw new StoreError(`could not start the training function ${options.trainFunctionName}`, {
        cause: error,
      });
    }
  };
}
