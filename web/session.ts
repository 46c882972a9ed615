/**
 * Sign-in for the page. The page reads /config.json: locally (`npm start`) the app client allows password
 * sign-in against the Cognito emulator, and the local stack confirms sign-ups at once; in AWS the page
 * uses Cognito's hosted UI with the authorization code grant and PKCE (no client secret in a browser).
 * The access token lives in sessionStorage, so it ends with the tab.
 */
import { ApiError, callApi } from "./api.js";

/** What /config.json says about sign-in. */
export type AuthConfig =
  | {
      readonly mode: "password";
      readonly endpoint: string;
      readonly clientId: string;
      readonly signUpPath: string;
    }
  | {
      readonly mode: "hosted";
      readonly domain: string;
      readonly clientId: string;
      readonly redirectUri: string;
    };

/** A signed-in person. */
export interface Session {
  readonly token: string;
  readonly userId: number;
  readonly name: string;
}

const KEY = "cinecluster.session";

/** The current session, if any. */
export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    const payload = JSON.parse(atob(session.token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as {
      exp?: number;
    };
    if (payload.exp !== undefined && payload.exp * 1000 < Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

/** Forgets the session. */
export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

async function cognito<T>(endpoint: string, action: string, body: unknown): Promise<T> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  }).catch(() => {
    throw new ApiError(0, "We could not reach the sign-in service", "Check your connection and try again.");
  });
  const json = (await response.json().catch(() => ({}))) as T & { message?: string; __type?: string };
  if (!response.ok) {
    const type = String(json.__type ?? "");
    if (/NotAuthorized|UserNotFound/.test(type)) {
      throw new ApiError(401, "That e-mail and password do not match", "Check them, or create an account.");
    }
    if (/UsernameExists/.test(type)) {
      throw new ApiError(409, "That e-mail already has an account", "Sign in instead.");
    }
    if (/InvalidPassword/.test(type)) {
      throw new ApiError(400, "That password is too weak", "Use at least 8 characters with a digit.");
    }
    throw new ApiError(response.status, "Sign-in failed", "Try again in a minute.");
  }
  return json;
}

async function finish(token: string, name: string): Promise<Session> {
  const me = await callApi<{ userId: number }>("/me", { token });
  const session = { token, userId: me.userId, name };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** Signs in with a name and password (password mode). */
export async function signIn(config: AuthConfig, name: string, password: string): Promise<Session> {
  if (config.mode !== "password") throw new Error("password sign-in is not enabled");
  const result = await cognito<{ AuthenticationResult?: { AccessToken?: string } }>(
    config.endpoint,
    "InitiateAuth",
    {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: config.clientId,
      AuthParameters: { USERNAME: name, PASSWORD: password },
    },
  );
  const token = result.AuthenticationResult?.AccessToken;
  if (!token) throw new ApiError(401, "Sign-in needs another step we do not support", "Try another account.");
  return finish(token, name);
}

/** Creates an account (password mode: the local stack confirms it at once), then signs in. */
export async function signUp(config: AuthConfig, name: string, password: string): Promise<Session> {
  if (config.mode !== "password") throw new Error("password sign-up is not enabled");
  await callApi(config.signUpPath, { method: "POST", body: { username: name, password } });
  return signIn(config, name, password);
}

function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** PKCE (RFC 7636): a random verifier and its S256 challenge. */
async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64Url(digest) };
}

/** Hosted mode: sends the browser to Cognito's hosted UI (authorization code with PKCE). */
export async function startHostedSignIn(config: AuthConfig): Promise<void> {
  if (config.mode !== "hosted") return;
  const { verifier, challenge } = await pkcePair();
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("cinecluster.pkce", JSON.stringify({ verifier, state }));
  const url = new URL(`${config.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: "openid",
    code_challenge_method: "S256",
    code_challenge: challenge,
    state,
  }).toString();
  location.assign(url.toString());
}

/** Hosted mode: on return from the hosted UI, trades the code for tokens. Null when there is no code. */
export async function completeHostedSignIn(config: AuthConfig): Promise<Session | null> {
  if (config.mode !== "hosted") return null;
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const saved = JSON.parse(sessionStorage.getItem("cinecluster.pkce") ?? "null") as {
    verifier: string;
    state: string;
  } | null;
  if (!code || !saved || params.get("state") !== saved.state) return null;
  sessionStorage.removeItem("cinecluster.pkce");
  history.replaceState(null, "", location.pathname + location.hash);
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new ApiError(401, "Sign-in did not complete", "Try signing in again.");
  const tokens = (await response.json()) as { access_token: string };
  return finish(tokens.access_token, "you");
}
