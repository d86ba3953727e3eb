import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
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
import { HomeRedirect } from './pages/HomeRedirect';
import { NotFoundPage } from './pages/NotFoundPage';
import { cssVariablesResolver, theme } from './theme';

// Heavier or rarely visited pages load on demand.
const SecurityPage = lazy(() => import('./pages/account/SecurityPage'));
const SetupPage = lazy(() => import('./pages/setup/SetupPage'));
const DevMailboxPage = lazy(() => import('./pages/dev-mailbox/DevMailboxPage'));
const AcceptInvitationPage = lazy(() => import('./pages/invitations/AcceptInvitationPage'));
const ClaimInvitationPage = lazy(() => import('./pages/invitations/ClaimInvitationPage'));
const InvitationPage = lazy(() => import('./pages/invitations/InvitationPage'));
const LicensesPage = lazy(() => import('./pages/licenses/LicensesPage'));
const UsagePage = lazy(() => import('./pages/usage/UsagePage'));
const TeamsPage = lazy(() => import('./pages/teams/TeamsPage'));
const TeamPage = lazy(() => import('./pages/teams/TeamPage'));
const AdminsPage = lazy(() => import('./pages/admins/AdminsPage'));
const AuditLogPage = lazy(() => import('./pages/audit/AuditLogPage'));
const OrganizationSettingsPage = lazy(() => import('./pages/settings/OrganizationSettingsPage'));
const ApiTokensPage = lazy(() => import('./pages/settings/ApiTokensPage'));
const WebhooksPage = lazy(() => import('./pages/settings/WebhooksPage'));
const WebhookPage = lazy(() => import('./pages/settings/WebhookPage'));
const OperatorTokensPage = lazy(() => import('./pages/operator/OperatorTokensPage'));
const OrganizationsPage = lazy(() => import('./pages/operator/OrganizationsPage'));
const ProductsPage = lazy(() => import('./pages/operator/ProductsPage'));
const OrdersPage = lazy(() => import('./pages/operator/OrdersPage'));
const DeviceApprovalPage = lazy(() => import('./pages/device/DeviceApprovalPage'));

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
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
            {/* Works signed out (sign in first) and signed in (accept). */}
            <Route path="/admin-invitations/accept" element={<AcceptInvitationPage />} />
          </Route>

          <Route element={<SessionLayout session="required" />}>
            <Route path="/" element={<HomeRedirect />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="/account/security" element={<SecurityPage />} />
            {/* Device login approval: signed-out visitors come back here, `?code=` and all, after signing in. */}
            <Route path="/device" element={<DeviceApprovalPage />} />

            {/* The organization picked in the top bar. */}
            <Route path="/licenses" element={<LicensesPage />} />
            <Route path="/usage" element={<UsagePage />} />
            <Route path="/teams" element={<TeamsPage />} />
            <Route path="/teams/:teamId/:section?" element={<TeamPage />} />
            <Route path="/invitations/:invitationId" element={<InvitationPage />} />
            <Route path="/admins" element={<AdminsPage />} />
            <Route path="/audit" element={<AuditLogPage />} />
            <Route path="/settings" element={<OrganizationSettingsPage />} />
            <Route path="/settings/api-tokens" element={<ApiTokensPage />} />
            <Route path="/settings/webhooks" element={<WebhooksPage />} />
            <Route path="/settings/webhooks/:webhookId" element={<WebhookPage />} />

            {/* Instance operators. */}
            <Route path="/operator/organizations" element={<OrganizationsPage />} />
            <Route path="/operator/products" element={<ProductsPage />} />
            <Route path="/operator/orders" element={<OrdersPage />} />
            <Route path="/operator/api-tokens" element={<OperatorTokensPage />} />
          </Route>

          {/* A bulk invitation link: the sign-in card frame signed out, the app shell signed in. */}
          <Route element={<SessionLayout session="optional" signedOutFrame="centered" />}>
            <Route path="/invite/:token" element={<ClaimInvitationPage />} />
          </Route>

          {/* Served on loopback only; works signed out, and inside the app shell when signed in. */}
          <Route element={<SessionLayout session="optional" />}>
            <Route path="/dev/mailbox" element={<DevMailboxPage />} />
          </Route>

          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </BrowserRouter>
    </MantineProvider>
  );
}
