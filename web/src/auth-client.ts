import { twoFactorClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';
import { ApiError, readRetryAfter, type ApiErrorCode } from './api';

export const authClient = createAuthClient({
  baseURL: `${window.location.origin}/api/auth`,
  plugins: [
    twoFactorClient({
      // The sign-in page reads `twoFactorRedirect` from the answer and routes itself, keeping
      // the `redirect` parameter; this hook only stops the plugin from reloading the page.
      onTwoFactorRedirect() {},
    }),
  ],
});

export type AuthSession = typeof authClient.$Infer.Session;

type AuthErrorShape = {
  code?: string | undefined;
  message?: string | undefined;
  status: number;
  statusText: string;
};

type AuthResult<T> = { data: T; error: null } | { data: null; error: AuthErrorShape };

/** Per-call fetch options that let us read headers (Retry-After) off a failed answer. */
export type AuthFetchOptions = {
  onError: (context: { response: Response }) => void;
};

/**
 * Runs one Better Auth client call and returns its data, or throws an ApiError shaped like our
 * own API's errors (code, message, status, retryAfter), so every page handles both alike.
 *
 *   await callAuth((fetchOptions) => authClient.signIn.email({ email, password, fetchOptions }))
 */
export async function callAuth<T>(run: (fetchOptions: AuthFetchOptions) => Promise<AuthResult<T>>): Promise<T> {
  let retryAfter: number | undefined;
  const fetchOptions: AuthFetchOptions = {
    onError: ({ response }) => {
      retryAfter = readRetryAfter(response.headers);
    },
  };

  let result: AuthResult<T>;
  try {
    result = await run(fetchOptions);
  } catch {
    throw new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'Could not reach the server. Check your connection and try again.',
    });
  }

  if (result.error) {
    const { status, code, message, statusText } = result.error;
    throw new ApiError({
      status,
      code: (code as ApiErrorCode | undefined) ?? `HTTP_${status}`,
      message: message || statusText || `The request failed (HTTP ${status}).`,
      retryAfter,
    });
  }
  return result.data;
}
