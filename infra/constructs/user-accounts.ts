import { Aws, Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { CfnWebACL, CfnWebACLAssociation } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import type { StackSettings } from "../settings.js";

/** Options of {@link UserAccounts}. */
export interface UserAccountsProps {
  readonly settings: StackSettings;
}

/**
 * Who may call the personal routes: an Amazon Cognito user pool (self sign-up with a verified e-mail) with one
 * app client for the web page (authorization code grant, no client secret: a browser cannot keep one, so the
 * page proves it started the sign-in with PKCE), its hosted sign-in domain, and an AWS WAF web ACL on the pool
 * that limits sign-in requests per IP address.
 */
export class UserAccounts extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly signInLimit: CfnWebACL;
  /** The `iss` of the pool's tokens (what API Gateway's authorizer and the functions compare). */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: UserAccountsProps) {
    super(scope, id);
    const { settings } = props;
    const production = settings.stage === "prod";

    this.userPool = new UserPool(this, "UserPool", {
      userPoolName: `cinecluster-${settings.stage}`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: "AwsSolutions-COG2",
        reason:
          "MFA is offered (TOTP), not required: the pool guards movie favourites, not money or health data, " +
          "and a required second factor would keep most people from signing in at all.",
      },
      {
        id: "AwsSolutions-COG3",
        reason:
          "Threat protection (advanced security) needs the Plus feature plan, billed per active user; sign-in " +
          "abuse is limited by the AWS WAF rate rule on the pool instead.",
      },
      {
        id: "AwsSolutions-COG8",
        reason:
          "Essentials, not Plus: Plus adds threat protection billed per active user, which this service " +
          "replaces with the AWS WAF per-IP rate rule on the pool's sign-in.",
      },
    );

    const callbacks = settings.corsOrigins.map((origin) => `${origin}/`);
    this.webClient = this.userPool.addClient("WebClient", {
      userPoolClientName: "web",
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: callbacks,
        logoutUrls: callbacks,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.domain = this.userPool.addDomain("SignIn", {
      cognitoDomain: { domainPrefix: `cinecluster-${settings.stage}-${Aws.ACCOUNT_ID}` },
    });
    this.issuer = `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`;

    // AWS WAF cannot be associated with an HTTP API stage (only REST API stages, CloudFront, ALB, AppSync,
    // Cognito user pools, App Runner, Verified Access); it can guard the pool's sign-in and token endpoints.
    this.signInLimit = new CfnWebACL(this, "SignInLimit", {
      name: `cinecluster-${settings.stage}-sign-in`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: `cinecluster-${settings.stage}-sign-in`,
        sampledRequestsEnabled: true,
      },
      rules: [
        {
          name: "PerIpRateLimit",
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: "IP",
              limit: settings.signInRateLimit,
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: "PerIpRateLimit",
            sampledRequestsEnabled: true,
          },
        },
      ],
    });
    new CfnWebACLAssociation(this, "SignInLimitAssociation", {
      resourceArn: this.userPool.userPoolArn,
      webAclArn: this.signInLimit.attrArn,
    });
  }
}
