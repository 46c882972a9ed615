import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ROUTES } from "../../shared/constants.js";
import type { FunctionName } from "../function-specs.js";
import type { StackSettings } from "../settings.js";

/** Options of {@link ServiceApi}. */
export interface ServiceApiProps {
  /** The function behind each route's `functionName`. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly settings: StackSettings;
}

/** One JSON line per request: who asked what, the answer, and how long the function took. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    requestTime: "$context.requestTime",
    sourceIp: "$context.identity.sourceIp",
    routeKey: "$context.routeKey",
    path: "$context.path",
    status: "$context.status",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
  }),
);

/**
 * The HTTP API (payload format 2.0): exactly the routes of shared/constants.ts ROUTES, each a Lambda
 * integration; CORS from settings; one `$default` stage with throttling and JSON access logs.
 */
export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const { functions, settings } = props;

    this.api = new HttpApi(this, "HttpApi", {
      description: `cinecluster (${settings.stage})`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...settings.corsOrigins],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ["content-type"],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: settings.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRate, burstLimit: settings.throttleBurst },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    for (const route of ROUTES) {
      const integration = new HttpLambdaIntegration(
        `${route.functionName}-integration`,
        functions[route.functionName],
      );
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "The service has no user accounts by design (userId is a pseudonymous MovieLens-style id, as in the " +
        "original system); stage throttling bounds abuse. Add a JWT or IAM authorizer before real users.",
    });
  }

  /** The API's base URL (no trailing slash). */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
