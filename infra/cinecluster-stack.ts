import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { DataStores } from "./constructs/data-stores.js";
import { ServiceAlarms } from "./constructs/service-alarms.js";
import { ServiceApi } from "./constructs/service-api.js";
import { ServiceDashboard } from "./constructs/service-dashboard.js";
import { ServiceFunctions } from "./constructs/service-functions.js";
import { TrainingSchedule } from "./constructs/training-schedule.js";
import { TrainingTrigger } from "./constructs/training-trigger.js";
import { UserAccounts } from "./constructs/user-accounts.js";
import { WebSite } from "./constructs/web-site.js";
import type { StackSettings } from "./settings.js";

/** Options of {@link CineclusterStack}. */
export interface CineclusterStackProps extends StackProps {
  readonly settings: StackSettings;
}

/**
 * The whole service: data stores, the nine functions, the HTTP API, the retraining schedule and the alarms,
 * with the API URL, bucket, table and training function as outputs.
 */
export class CineclusterStack extends Stack {
  readonly data: DataStores;
  readonly accounts: UserAccounts;
  readonly functions: ServiceFunctions;
  readonly dashboard: ServiceDashboard;
  readonly api: ServiceApi;
  readonly schedule: TrainingSchedule;
  readonly trigger: TrainingTrigger;
  readonly alarms: ServiceAlarms;
  /** The web page behind CloudFront; undefined when context `webSite` is false (the moto deploy check). */
  readonly web: WebSite | undefined;

  constructor(scope: Construct, id: string, props: CineclusterStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.data = new DataStores(this, "Data", { retainTable: settings.stage === "prod" });
    this.accounts = new UserAccounts(this, "Accounts", { settings });
    this.functions = new ServiceFunctions(this, "Functions", {
      table: this.data.table,
      bucket: this.data.bucket,
      settings,
      auth: { issuer: this.accounts.issuer, clientIds: [this.accounts.webClient.userPoolClientId] },
    });
    const trainFunction = this.functions.byName["train-model"];
    this.api = new ServiceApi(this, "Api", {
      functions: this.functions.byName,
      settings,
      userPool: this.accounts.userPool,
      userPoolClient: this.accounts.webClient,
    });
    this.schedule = new TrainingSchedule(this, "Training", { trainFunction, rate: settings.trainingRate });
    this.trigger = new TrainingTrigger(this, "Upload", {
      bucket: this.data.bucket,
      ratingsKey: settings.ratingsKey,
      trainFunction,
      deadLetterQueue: this.schedule.deadLetterQueue,
    });
    this.alarms = new ServiceAlarms(this, "Alarms", {
      trainFunction,
      trainingRate: settings.trainingRate,
      api: this.api.api,
      table: this.data.table,
      scheduleDeadLetterQueue: this.schedule.deadLetterQueue,
      alarmEmail: settings.alarmEmail,
      latencyAlarmMs: settings.latencyAlarmMs,
    });
    this.dashboard = new ServiceDashboard(this, "Dashboard", {
      dashboardName: `cinecluster-${settings.stage}`,
      trainFunction,
      alarmNames: this.alarms.alarmNames,
    });

    const webSite = this.node.tryGetContext("webSite");
    this.web =
      webSite === false || webSite === "false"
        ? undefined
        : new WebSite(this, "Web", {
            apiDomain: `${this.api.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
            logBucket: this.data.accessLogBucket,
            auth: {
              domain: this.accounts.domain.baseUrl(),
              clientId: this.accounts.webClient.userPoolClientId,
            },
          });
    if (this.web) {
      new CfnOutput(this, "WebUrl", {
        description: "The web page (and the API on its paths)",
        value: this.web.url,
      });
    }

    new CfnOutput(this, "ApiUrl", { description: "Base URL of the HTTP API", value: this.api.url });
    new CfnOutput(this, "UserPoolId", {
      description: "Cognito user pool",
      value: this.accounts.userPool.userPoolId,
    });
    new CfnOutput(this, "WebClientId", {
      description: "App client of the web page (authorization code + PKCE, no secret)",
      value: this.accounts.webClient.userPoolClientId,
    });
    new CfnOutput(this, "SignInDomain", {
      description: "Hosted sign-in (OAuth 2.0 authorize and token endpoints)",
      value: this.accounts.domain.baseUrl(),
    });
    new CfnOutput(this, "BucketName", {
      description: `Ratings input (${settings.ratingsKey}, ${settings.moviesKey}) and training reports`,
      value: this.data.bucket.bucketName,
    });
    new CfnOutput(this, "TableName", { description: "DynamoDB table", value: this.data.table.tableName });
    new CfnOutput(this, "TrainFunctionName", {
      description: "Invoke it to train now (aws lambda invoke --function-name ...)",
      value: trainFunction.functionName,
    });
    new CfnOutput(this, "AdminFunctionName", {
      description: "IAM invoke only: versions, retrain, rollback (see docs/operations.md)",
      value: this.functions.byName["admin-model"].functionName,
    });
    new CfnOutput(this, "AlarmTopicArn", {
      description: "SNS topic of the alarms",
      value: this.alarms.topic.topicArn,
    });
  }
}

/** The stack's name for a stage. */
export function stackName(stage: string): string {
  return `cinecluster-${stage}`;
}
