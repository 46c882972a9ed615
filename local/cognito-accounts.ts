import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";

/**
 * The Cognito calls the local stack, the token script and the tests make against cognito-local (never against
 * a deployed pool): create a pool and its app client, open a sample user's sign-in, sign in.
 */

/** A user pool and its app client in cognito-local. */
export interface LocalUserPool {
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Tokens' `iss`: `<endpoint>/<userPoolId>`. */
  readonly issuer: string;
  readonly jwksUri: string;
}

/** A Cognito client for cognito-local (it accepts any credentials). */
function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 2,
  });
}

/** Creates a user pool named `name` with one app client that may sign in with a password (no secret). */
export async function createLocalUserPool(endpoint: string, name: string): Promise<LocalUserPool> {
  const client = cognitoClient(endpoint);
  try {
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: name }));
    const userPoolId = pool.UserPool?.Id;
    if (!userPoolId) throw new Error("cognito-local created a user pool without an id");
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: `${name}-web`,
        GenerateSecret: false,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const clientId = appClient.UserPoolClient?.ClientId;
    if (!clientId) throw new Error("cognito-local created an app client without an id");
    return { endpoint, userPoolId, clientId, ...poolUrls(endpoint, userPoolId) };
  } finally {
    client.destroy();
  }
}

/** The issuer and JWKS address of a cognito-local pool. */
export function poolUrls(endpoint: string, userPoolId: string): { issuer: string; jwksUri: string } {
  const issuer = `${endpoint}/${userPoolId}`;
  return { issuer, jwksUri: `${issuer}/.well-known/jwks.json` };
}

/** Creates the user if absent (no invitation message) and sets `password` as its permanent password. */
export async function ensureUser(
  pool: Pick<LocalUserPool, "endpoint" | "userPoolId">,
  username: string,
  password: string,
): Promise<void> {
  const client = cognitoClient(pool.endpoint);
  try {
    try {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.userPoolId,
          Username: username,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: username },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Signs in with a password; the access and ID tokens Cognito returns. */
export async function signIn(
  pool: Pick<LocalUserPool, "endpoint" | "clientId">,
  username: string,
  password: string,
): Promise<{ accessToken: string; idToken: string }> {
  const client = cognitoClient(pool.endpoint);
  try {
    const result = await client.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    const accessToken = result.AuthenticationResult?.AccessToken;
    const idToken = result.AuthenticationResult?.IdToken;
    if (!accessToken || !idToken) throw new Error(`signing in as ${username} returned no tokens`);
    return { accessToken, idToken };
  } finally {
    client.destroy();
  }
}

/** The claims of a JWT, decoded without verifying it (the caller already trusts where it came from). */
export function unverifiedClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
