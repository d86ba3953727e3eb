import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../api';
import { authClient, callAuth } from '../auth-client';

/** Ends the session, then goes to the sign-in page. */
export function useSignOut(): { signOut: () => Promise<void>; signingOut: boolean } {
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await callAuth((fetchOptions) => authClient.signOut({ fetchOptions }));
      void navigate('/sign-in', { replace: true });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not sign out', message: errorMessage(error) });
      setSigningOut(false);
    }
  }

  return { signOut, signingOut };
}
