import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  InvalidPasswordException,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LocalUserPool } from "./cognito-accounts.js";
import type { LocalRoute } from "./http-server.js";

/**
 * `POST /local/sign-up` for the web page under `npm start` only (never in ROUTES, never deployed): creates a
 * confirmed account in cognito-local with the given password, so the page can sign up without the e-mail
 * code that Cognito's hosted UI asks for in AWS. It refuses a name that exists: it never resets a password.
 */
export const LOCAL_SIGN_UP_PATH = "/local/sign-up";

/** The pool signs people in by e-mail address, as the deployed pool does. */
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$/;

function answer(statusCode: number, error: string, message: string) {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ error, message }),
  };
}

/** The local sign-up route against `pool`. */
export function localSignUpRoute(pool: Pick<LocalUserPool, "endpoint" | "userPoolId">): LocalRoute {
  return {
    method: "POST",
    path: LOCAL_SIGN_UP_PATH,
    functionName: "local-sign-up",
    handler: async (event) => {
      let body: { username?: unknown; password?: unknown };
      try {
        body = JSON.parse(event.body ?? "") as typeof body;
      } catch {
        return answer(400, "ValidationError", "body must be JSON with username and password");
      }
      const { username, password } = body;
      if (typeof username !== "string" || !EMAIL.test(username)) {
        return answer(400, "ValidationError", "username must be an e-mail address");
      }
      if (typeof password !== "string" || password.length < 8 || password.length > 256) {
        return answer(400, "ValidationError", "password: 8 to 256 characters");
      }
      const client = new CognitoIdentityProviderClient({
        endpoint: pool.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      try {
        await client.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.userPoolId,
            Username: username,
            MessageAction: "SUPPRESS",
          }),
        );
        await client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: pool.userPoolId,
            Username: username,
            Password: password,
            Permanent: true,
          }),
        );
        return {
          statusCode: 201,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username }),
        };
      } catch (error) {
        if (error instanceof UsernameExistsException) return answer(409, "Conflict", "that name is taken");
        if (error instanceof InvalidPasswordException || error instanceof InvalidParameterException)
          return answer(400, "ValidationError", error.message);
        throw error;
      } finally {
        client.destroy();
      }
    },
  };
}
