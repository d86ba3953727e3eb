/** Answer shapes of our `/api/v1` endpoints, as the server documents them. */

/** dev-mailbox: no SMTP, served on loopback; log-only: no SMTP and reachable from the network, so mail is only printed to the log. */
export type MailMode = 'smtp' | 'dev-mailbox' | 'log-only';

export type Instance = {
  name: string;
  setupRequired: boolean;
  mailMode: MailMode;
};

export type OrganizationRole = 'org_admin' | 'org_viewer';
export type TeamRole = 'team_admin' | 'team_viewer';
export type Role = OrganizationRole | TeamRole;

/** From /me: the strongest role held in each organization (a team role for team-only members). */
export type MeOrganization = {
  id: string;
  name: string;
  role: Role;
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
  /** When the license became this person's. */
  assignedAt: string;
};

export type MyLicensesResponse = { items: MyLicense[] };

// ---------------------------------------------------------------------------------------------
// Product activation: app passwords, machines, offline codes and device login

export type AppPassword = {
  id: string;
  name: string;
  /** The last four characters of the password; the rest is never shown again. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
};

export type AppPasswordsResponse = { items: AppPassword[] };

/** The one answer that carries the password itself. */
export type CreatedAppPassword = AppPassword & { password: string };

/** online: keeps refreshing its ticket; offline: activated with an offline code, which cannot be recalled. */
export type MachineKind = 'online' | 'offline';

export type MyMachine = {
  /** The activation's id: what DELETE /me/machines/:id takes. */
  id: string;
  licenseId: string;
  productCode: string;
  productName: string;
  machineId: string;
  machineName: string | null;
  productVersion: string | null;
  kind: MachineKind;
  firstSeenAt: string;
  lastSeenAt: string;
  ticketExpiresAt: string;
};

export type MyMachinesResponse = { items: MyMachine[] };

/** A signed activation ticket; an offline activation code is the `ticket` of one of these. */
export type IssuedTicket = {
  ticket: string;
  kid: string;
  expiresAt: string;
  refreshToken: string | null;
  activationId: string;
  license: { id: string; productCode: string; productName: string; organizationName: string; validUntil: string };
  licensee: { email: string; name: string };
};

/** What GET /device-authorizations/:userCode tells the person approving it. */
export type DeviceAuthorization = {
  productCode: string;
  productName: string;
  machineId: string;
  machineName: string | null;
  expiresAt: string;
  /** false: approving cannot activate anything, the person has no license for the product. */
  holdsLicense: boolean;
  /** Whether approving will activate the product, and if not, why. */
  licenseState: 'ready' | 'none' | 'expired' | 'machines_full';
};

export type DeviceDecision = 'approve' | 'deny';

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

// ---------------------------------------------------------------------------------------------
// Organizations, teams and licenses

/** How the signed-in person reaches an organization: a role in it, team roles only, or operator rights. */
export type OrganizationAccess = 'admin' | 'viewer' | 'team' | 'operator';

export type OrganizationSummary = { id: string; name: string; access: OrganizationAccess };

export type OrganizationsResponse = { items: OrganizationSummary[] };

export type OrganizationDetail = {
  id: string;
  name: string;
  minDaysBeforeRevoke: number;
  access: OrganizationAccess;
  canManage: boolean;
};

export type CreatedOrganization = { id: string; name: string };

/** `machineLimit`: how many machines may use one license of the product at once. */
export type Product = { id: string; code: string; name: string; description: string | null; machineLimit: number };

export type ProductsResponse = { items: Product[] };

export type OrderSource = 'api' | 'console' | 'csv';

export type Order = {
  id: string;
  reference: string;
  organizationId: string;
  organizationName: string;
  productCode: string;
  productName: string;
  quantity: number;
  validUntil: string;
  teamId: string | null;
  teamName: string | null;
  renewsReference: string | null;
  source: OrderSource;
  createdAt: string;
};

/** Every keyset-paginated list: pass `nextCursor` back as `cursor` for the next page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type CreateOrderResponse = { order: Order; created: boolean };

export type TeamProduct = {
  productId: string;
  productCode: string;
  productName: string;
  total: number;
  assigned: number;
  free: number;
};

export type LicenseCounts = { total: number; assigned: number; free: number };

export type Team = {
  id: string;
  name: string;
  organizationId: string;
  createdAt: string;
  canManage: boolean;
  products: TeamProduct[];
  totals: LicenseCounts;
};

export type TeamWithOrganization = Team & { organizationName: string };

export type TeamsResponse = { items: Team[] };

export type Subscription = LicenseCounts & {
  productId: string;
  productCode: string;
  productName: string;
  earliestValidUntil: string | null;
};

export type SubscriptionsResponse = { items: Subscription[] };

export type LicenseAssignee = {
  /** null while the address has no verified account yet (the invitation is pending). */
  userId: string | null;
  name: string | null;
  email: string;
};

export type License = {
  id: string;
  productId: string;
  productCode: string;
  productName: string;
  teamId: string;
  teamName: string;
  orderReference: string;
  assignee: LicenseAssignee | null;
  assignedAt: string | null;
  validUntil: string;
  lastSeenAt: string | null;
};

export type AssignmentSource = 'manual' | 'invitation' | 'api';

export type LicenseHistoryEntry = {
  email: string;
  name: string | null;
  source: AssignmentSource;
  assignedAt: string;
  endedAt: string | null;
  endReason: 'revoked' | 'expired' | null;
  assignedByName: string | null;
};

export type LicenseHistoryResponse = { items: LicenseHistoryEntry[] };

export type AssignmentResult = {
  email: string;
  status: 'assigned' | 'failed';
  licenseId?: string;
  pendingAccount?: boolean;
  code?: string;
  message?: string;
};

export type AssignResponse = { results: AssignmentResult[] };

export type RevokeResponse = { revoked: string[] };

export type TransferResponse = { transferred: string[] };

// ---------------------------------------------------------------------------------------------
// Administrators

export type RoleGrant = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  teamName: string | null;
  since: string;
};

export type RoleInvitation = {
  id: string;
  email: string;
  role: Role;
  teamId: string | null;
  teamName: string | null;
  createdAt: string;
  expiresAt: string;
  invitedByName: string | null;
};

export type AdminsResponse = { roles: RoleGrant[]; invitations: RoleInvitation[] };

export type CreateRoleInvitationResponse = { invitation: RoleInvitation; link: string };

export type RoleInvitationPreview = {
  organizationName: string;
  role: Role;
  teamName: string | null;
  email: string;
  expiresAt: string;
};

export type AcceptedRoleInvitation = {
  organizationId: string;
  organizationName: string;
  role: Role;
  teamId: string | null;
  teamName: string | null;
};

// ---------------------------------------------------------------------------------------------
// Invitations (bulk invitation links: one link, anyone allowed claims a license)

/** disabled: turned off by an admin; exhausted: reached its maximum claims. */
export type InvitationStatus = 'active' | 'expired' | 'disabled' | 'exhausted';

export type Invitation = {
  id: string;
  name: string | null;
  organizationId: string;
  organizationName: string;
  teamId: string;
  teamName: string;
  productId: string;
  productCode: string;
  productName: string;
  status: InvitationStatus;
  enabled: boolean;
  expiresAt: string | null;
  /** Empty: every verified address may claim. `*.acme.com` also matches subdomains. */
  allowedDomains: string[];
  maxClaims: number | null;
  claims: number;
  /** Free licenses of this product in the team. */
  remaining: number;
  /** The full address to share (`…/invite/<token>`). */
  /** null for viewers: only those who manage the invitation can share its link. */
  link: string | null;
  canManage: boolean;
  createdAt: string;
  updatedAt: string;
};

export type InvitationsResponse = { items: Invitation[] };

export type AcceptedInvitation = {
  userId: string;
  userName: string;
  email: string;
  claimedAt: string;
  licenseId: string;
  /** false once the license was revoked or moved on. */
  stillHeld: boolean;
};

export type AcceptedInvitationsResponse = { items: AcceptedInvitation[] };

/** What POST /invite/preview tells anyone holding the link. */
export type InvitationPreview = {
  name: string | null;
  productName: string;
  productCode: string;
  organizationName: string;
  teamName: string;
  allowedDomains: string[];
  expiresAt: string | null;
};

export type ClaimResult = {
  licenseId: string;
  productName: string;
  organizationName: string;
  teamName: string;
  validUntil: string;
  /** true when this person claimed through the link before and still holds the license. */
  alreadyClaimed: boolean;
};

export type NotifyAdminsResponse = { notified: boolean };

export type ClaimNotificationMode = 'each' | 'digest' | 'off';

export type NotificationSettings = { claimNotifications: ClaimNotificationMode };

// ---------------------------------------------------------------------------------------------
// Audit log

export type AuditAction =
  | 'order.created'
  | 'order.renewed'
  | 'team.created'
  | 'team.renamed'
  | 'team.deleted'
  | 'license.assigned'
  | 'license.revoked'
  | 'license.transferred'
  | 'role.invited'
  | 'role.invitation_revoked'
  | 'role.granted'
  | 'role.removed'
  | 'organization.created'
  | 'organization.updated'
  | 'product.created'
  | 'product.updated'
  | 'invitation.created'
  | 'invitation.updated'
  | 'invitation.disabled'
  | 'invitation.enabled'
  | 'invitation.regenerated'
  | 'invitation.deleted'
  | 'invitation.claimed'
  | 'invitation.waiting';

export type AuditEvent = {
  id: string;
  createdAt: string;
  actorLabel: string;
  actorUserId: string | null;
  /** One of AuditAction; newer servers may add more. */
  action: string;
  targetType: string;
  targetId: string;
  teamId: string | null;
  teamName: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
};

/** GET /licenses/:id/machines: where the license's holder uses it (admins' view). */
export type LicenseMachine = Omit<MyMachine, 'productCode' | 'productName'>;
export type LicenseMachinesResponse = { items: LicenseMachine[] };
