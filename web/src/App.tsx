import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { CenteredLayout } from './layout/CenteredLayout';
import { SessionLayout } from './layout/SessionLayout';
import { AccountPage } from './pages/account/AccountPage';
import { CheckEmailPage } from './pages/auth/CheckEmailPage';
import { EmailVerifiedPage } from './pages/auth/EmailVerifiedPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignInPage } from './pages/auth/SignInPage';
import { SignUpPage } from './pages/auth/SignUpPage';
import { TwoFactorPage } from './pages/auth/TwoFactorPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { theme } from './theme';

// Heavier or rarely visited pages load on demand.
const SecurityPage = lazy(() => import('./pages/account/SecurityPage'));
const SetupPage = lazy(() => import('./pages/setup/SetupPage'));
const DevMailboxPage = lazy(() => import('./pages/dev-mailbox/DevMailboxPage'));

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <BrowserRouter>
        <Routes>
          <Route element={<CenteredLayout />}>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/sign-in/two-factor" element={<TwoFactorPage />} />
            <Route path="/sign-up" element={<SignUpPage />} />
            <Route path="/check-email" element={<CheckEmailPage />} />
            <Route path="/email-verified" element={<EmailVerifiedPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            <Route path="/setup" element={<SetupPage />} />
          </Route>

          <Route element={<SessionLayout session="required" />}>
            <Route path="/account" element={<AccountPage />} />
            <Route path="/account/security" element={<SecurityPage />} />
          </Route>

          {/* Served on loopback only; works signed out, and inside the app shell when signed in. */}
          <Route element={<SessionLayout session="optional" />}>
            <Route path="/dev/mailbox" element={<DevMailboxPage />} />
          </Route>

          <Route path="/" element={<Navigate to="/account" replace />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </BrowserRouter>
    </MantineProvider>
  );
}
