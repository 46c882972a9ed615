import { describe, expect, it } from "vitest";
import { ROUTES } from "../../shared/constants.js";
import {
  functionIds,
  idOf,
  resourcesOfType,
  roleStatements,
  synthOncePerFile,
  synthStack,
} from "../helpers/synth-stack.js";

/** Issue 11 in the template: the user pool and web client, the JWT authorizer, CORS, and per-IP limits. */

const synth = synthOncePerFile();

function only(type: string, template = synth.template): { id: string; props: Record<string, any> } {
  const entries = Object.entries(resourcesOfType(template, type));
  expect(entries).toHaveLength(1);
  return { id: entries[0]![0], props: entries[0]![1].Properties };
}

describe("the JWT authorizer", () => {
  it("guards exactly the personal routes; the public ones stay open", () => {
    const authorizer = only("AWS::ApiGatewayV2::Authorizer");
    const routes = Object.values(resourcesOfType(synth.template, "AWS::ApiGatewayV2::Route")).map(
      (route) => route.Properties,
    );
    const guarded = routes
      .filter((route) => route.AuthorizationType === "JWT")
      .map((route) => {
        expect(route.AuthorizerId).toEqual({ Ref: authorizer.id });
        return route.RouteKey;
      });
    const open = routes.filter((route) => (route.AuthorizationType ?? "NONE") === "NONE");
    expect(open.every((route) => route.AuthorizerId === undefined)).toBe(true);
    expect(guarded.sort()).toEqual(
      ROUTES.filter((route) => route.personal)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    expect(open.map((route) => route.RouteKey).sort()).toEqual(
      ROUTES.filter((route) => !route.personal)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    expect(guarded).toContain("POST /users/{userId}/favourites");
    expect(open.map((route) => route.RouteKey)).toContain("GET /health");
  });

  it("accepts tokens of the pool's web client only, from the Authorization header", () => {
    const { props } = only("AWS::ApiGatewayV2::Authorizer");
    const pool = idOf(synth.stack, synth.stack.accounts.userPool);
    const client = idOf(synth.stack, synth.stack.accounts.webClient);
    expect(props.AuthorizerType).toBe("JWT");
    expect(props.IdentitySource).toEqual(["$request.header.Authorization"]);
    expect(props.JwtConfiguration.Audience).toEqual([{ Ref: client }]);
    expect(props.JwtConfiguration.Issuer).toEqual({
      "Fn::Join": ["", ["https://cognito-idp.", { Ref: "AWS::Region" }, ".amazonaws.com/", { Ref: pool }]],
    });
  });
});

describe("the user pool and the web page's app client", () => {
  it("lets people sign up with a verified e-mail and a strong password; MFA offered", () => {
    const { props } = only("AWS::Cognito::UserPool");
    expect(props.UsernameAttributes).toEqual(["email"]);
    expect(props.AutoVerifiedAttributes).toEqual(["email"]);
    expect(props.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false });
    expect(props.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(props.MfaConfiguration).toBe("OPTIONAL");
    expect(props.EnabledMfas).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(props.DeletionProtection).toBe("INACTIVE");
    const prod = only("AWS::Cognito::UserPool", synthStack({ stage: "prod" }).template);
    expect(prod.props.DeletionProtection).toBe("ACTIVE");
  });

  it("has a public client (no secret) for the authorization code grant, back to the web page's origins", () => {
    const { props } = only("AWS::Cognito::UserPoolClient");
    expect(props.GenerateSecret).toBe(false);
    expect(props.AllowedOAuthFlows).toEqual(["code"]);
    expect(props.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(props.AllowedOAuthScopes).toEqual(["openid", "email"]);
    expect(props.CallbackURLs).toEqual(["http://localhost:3000/"]);
    expect(props.LogoutURLs).toEqual(["http://localhost:3000/"]);
    expect(props.SupportedIdentityProviders).toEqual(["COGNITO"]);
    expect(props.PreventUserExistenceErrors).toBe("ENABLED");
    // No password ever travels to Cognito in the clear: SRP and refresh only (no USER_PASSWORD_AUTH).
    expect(props.ExplicitAuthFlows.sort()).toEqual(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]);
    expect(props).toMatchObject({
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
    });

    const page = synthStack({ corsOrigins: ["https://films.example"] }).template;
    const client = only("AWS::Cognito::UserPoolClient", page).props;
    expect(client.CallbackURLs).toEqual(["https://films.example/"]);
    const api = only("AWS::ApiGatewayV2::Api", page).props;
    expect(api.CorsConfiguration.AllowOrigins).toEqual(["https://films.example"]);
    expect(api.CorsConfiguration.AllowHeaders).toEqual(["content-type", "authorization"]);
  });
});

describe("per-client limits", () => {
  it("an AWS WAF web ACL limits each IP address's sign-in requests, on the user pool", () => {
    const acl = only("AWS::WAFv2::WebACL");
    expect(acl.props.Scope).toBe("REGIONAL");
    expect(acl.props.DefaultAction).toEqual({ Allow: {} });
    expect(acl.props.Rules).toEqual([
      expect.objectContaining({
        Name: "PerIpRateLimit",
        Action: { Block: {} },
        Statement: {
          RateBasedStatement: { AggregateKeyType: "IP", Limit: 100, EvaluationWindowSec: 300 },
        },
      }),
    ]);
    const association = only("AWS::WAFv2::WebACLAssociation");
    expect(association.props).toEqual({
      ResourceArn: { "Fn::GetAtt": [idOf(synth.stack, synth.stack.accounts.userPool), "Arn"] },
      WebACLArn: { "Fn::GetAtt": [acl.id, "Arn"] },
    });
    const tighter = synthStack({ signInRateLimit: "20" }).template;
    const rule = only("AWS::WAFv2::WebACL", tighter).props.Rules[0];
    expect(rule.Statement.RateBasedStatement.Limit).toBe(20);
  });
});

describe("GET /me's account writes", () => {
  it("may add to the id counter, and put link items only inside a transaction; nothing else", () => {
    const statements = roleStatements(synth.template, functionIds(synth.stack, "get-me").role)
      .filter((st) => st.Action.some((a) => a.startsWith("dynamodb:")))
      .map(({ Sid: _sid, Resource: _resource, ...rest }) => rest);
    expect(statements).toEqual([
      { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] },
      {
        Effect: "Allow",
        Action: ["dynamodb:UpdateItem"],
        Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["ACCOUNTS"] } },
      },
      {
        Effect: "Allow",
        Action: ["dynamodb:PutItem"],
        Condition: {
          "ForAnyValue:StringEquals": { "dynamodb:EnclosingOperation": ["TransactWriteItems"] },
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["ACCOUNT#*", "OWNER#*"] },
        },
      },
    ]);
  });
});
