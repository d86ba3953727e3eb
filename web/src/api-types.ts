/** Answer shapes of our `/api/v1` endpoints, as the server documents them. */

/** dev-mailbox: no SMTP, served on loopback; log-only: no SMTP and reachable from the network, so mail is only printed to the log. */
export type MailMode = 'smtp' | 'dev-mailbox' | 'log-only';

export type Instance = {
  name: string;
  setupRequired: boolean;
  mailMode: MailMode;
};

export type OrganizationRole = 'org_admin' | 'org_viewer';

export type MeOrganization = {
  id: string;
  name: string;
  role: OrganizationRole;
};

export type MeUser = {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
};

export type Me = {
  user: MeUser;
  isOperator: boolean;
  organizations: MeOrganization[];
};

export type MyLicense = {
  id: string;
  productName: string;
  productCode: string;
  organizationName: string;
  teamName: string;
  validUntil: string;
};

export type MyLicensesResponse = { items: MyLicense[] };

export type SetupCheckResponse = { valid: boolean; setupRequired: boolean };

export type SetupResponse = {
  organization: { id: string; name: string };
  adminEmail: string;
  adminAccountExists: boolean;
};

export type MailboxMessageStatus = 'pending' | 'sent' | 'failed';

export type MailboxMessage = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  status: MailboxMessageStatus;
  createdAt: string;
};

export type MailboxResponse = { messages: MailboxMessage[] };
