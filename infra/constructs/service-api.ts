import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IUserPool, IUserPoolClient } from "aws-cdk-lib/aws-cognito";
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
  /** Whose access tokens the personal routes accept. */
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
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
 * integration; the routes marked `personal` behind a JWT authorizer for the user pool's web client (the others
 * open); CORS from settings; one `$default` stage with throttling and JSON access logs.
 */
export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const { functions, settings, userPool, userPoolClient } = props;

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
        allowHeaders: ["content-type", "authorization"],
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

    // API Gateway checks the token's signature, expiry, issuer and audience (client_id); the function then
    // checks it is an access token and maps its subject to the user id (shared/http/caller.ts).
    this.authorizer = new HttpUserPoolAuthorizer("CognitoAuthorizer", userPool, {
      userPoolClients: [userPoolClient],
      identitySource: ["$request.header.Authorization"],
    });
    for (const route of ROUTES) {
      const integration = new HttpLambdaIntegration(
        `${route.functionName}-integration`,
        functions[route.functionName],
      );
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.personal ? { authorizer: this.authorizer } : {}),
      });
      if (!route.personal) {
        Validations.of(added!).acknowledge({
          id: "AwsSolutions-APIG4",
          reason:
            "A public route (ROUTES marks it not personal): it reads only the shared model and catalogue, " +
            "never one person's data; the stage throttle bounds it.",
        });
      }
    }
  }

  /** The API's base URL (no trailing slash). */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
