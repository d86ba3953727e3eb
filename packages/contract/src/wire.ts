import type { z } from 'zod';
import type * as accounts from './accounts.js';
import type * as activations from './activations.js';
import type * as admins from './admins.js';
import type * as apiTokens from './api-tokens.js';
import type * as appPasswords from './app-passwords.js';
import type * as audit from './audit.js';
import type * as devMailbox from './dev-mailbox.js';
import type * as instance from './instance.js';
import type * as invitations from './invitations.js';
import type * as licenses from './licenses.js';
import type * as orders from './orders.js';
import type * as organizations from './organizations.js';
import type * as products from './products.js';
import type * as setup from './setup.js';
import type * as teams from './teams.js';
import type * as usage from './usage.js';
import type * as seats from './seats.js';
import type * as webhooks from './webhooks.js';

/**
 * What a client receives, as JSON: each answer schema's encoded side (instants are ISO strings).
 * The names are the ones the web UI reads; each is derived from the schema the server validates
 * against, so a changed answer fails the build of every page that reads it.
 */
type Wire<Schema extends z.ZodType> = z.input<Schema>;
type Item<List extends { items: unknown[] }> = List['items'][number];

/** Every keyset-paginated list: pass `nextCursor` back as `cursor` for the next page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type Instance = Wire<typeof instance.instanceReply>;
export type MailMode = Instance['mailMode'];

export type Me = Wire<typeof accounts.profileReply>;
export type MeUser = Me['user'];
export type MeOrganization = Me['organizations'][number];

export type SetupCheckResponse = Wire<typeof setup.checkSetupTokenReply>;
export type SetupResponse = Wire<typeof setup.completeSetupReply>;

export type MailboxResponse = Wire<typeof devMailbox.mailboxReply>;
export type MailboxMessage = MailboxResponse['messages'][number];
export type MailboxMessageStatus = MailboxMessage['status'];

// Product activation: app passwords, machines, offline codes and device login
export type AppPasswordsResponse = Wire<typeof appPasswords.appPasswordList>;
export type AppPassword = Item<AppPasswordsResponse>;
/** The one answer that carries the password itself. */
export type CreatedAppPassword = Wire<typeof appPasswords.createdAppPassword>;
export type MyMachinesResponse = Wire<typeof activations.myMachineList>;
export type MyMachine = Item<MyMachinesResponse>;
export type MachineKind = MyMachine['kind'];
export type LicenseMachinesResponse = Wire<typeof activations.licenseMachineList>;
export type LicenseMachine = Item<LicenseMachinesResponse>;
/** A signed activation ticket; an offline activation code is the `ticket` of one of these. */
export type IssuedTicket = Wire<typeof activations.issuedTicket>;
export type DeviceAuthorization = Wire<typeof activations.deviceAuthorizationDetails>;
export type DeviceDecision = Wire<typeof activations.deviceDecisionBody>['decision'];

// Organizations, products and orders
export type OrganizationsResponse = Wire<typeof organizations.organizationList>;
export type OrganizationSummary = Item<OrganizationsResponse>;
/** How the signed-in person reaches an organization: a role in it, team roles only, or operator rights. */
export type OrganizationAccess = OrganizationSummary['access'];
export type OrganizationDetail = Wire<typeof organizations.organizationDetails>;
export type CreatedOrganization = Wire<typeof organizations.createdOrganization>;
export type ProductsResponse = Wire<typeof products.productList>;
export type Product = Item<ProductsResponse>;
export type Order = Wire<typeof orders.order>;
export type OrderSource = Order['source'];
export type CreateOrderResponse = Wire<typeof orders.createOrderReply>;

// Teams and licenses
export type TeamsResponse = Wire<typeof teams.teamList>;
export type Team = Item<TeamsResponse>;
export type TeamProduct = Wire<typeof teams.productCount>;
export type LicenseCounts = Team['totals'];
export type SubscriptionsResponse = Wire<typeof licenses.subscriptions>;
export type Subscription = Item<SubscriptionsResponse>;
export type License = Item<Wire<typeof licenses.licensePage>>;
export type LicenseAssignee = NonNullable<License['assignee']>;
export type LicenseHistoryResponse = Wire<typeof licenses.history>;
export type LicenseHistoryEntry = Item<LicenseHistoryResponse>;
export type AssignmentSource = LicenseHistoryEntry['source'];
export type AssignResponse = Wire<typeof licenses.assignReply>;
export type AssignmentResult = AssignResponse['results'][number];
export type RevokeResponse = Wire<typeof licenses.revokeReply>;
export type TransferResponse = Wire<typeof licenses.transferReply>;
export type MyLicensesResponse = Wire<typeof licenses.myLicensesReply>;
export type MyLicense = Item<MyLicensesResponse>;

// Administrators
export type Role = Wire<typeof admins.role>;
export type OrganizationRole = Extract<Role, `org_${string}`>;
export type TeamRole = Extract<Role, `team_${string}`>;
export type AdminsResponse = Wire<typeof admins.adminsReply>;
export type RoleGrant = AdminsResponse['roles'][number];
export type RoleInvitation = Wire<typeof admins.invitation>;
export type CreateRoleInvitationResponse = Wire<typeof admins.inviteReply>;
export type RoleInvitationPreview = Wire<typeof admins.previewReply>;
export type AcceptedRoleInvitation = Wire<typeof admins.acceptReply>;

// Bulk invitations
export type InvitationsResponse = Wire<typeof invitations.invitationList>;
export type Invitation = Item<InvitationsResponse>;
export type InvitationStatus = Invitation['status'];
export type AcceptedInvitationsResponse = Wire<typeof invitations.acceptedInvitations>;
export type AcceptedInvitation = Item<AcceptedInvitationsResponse>;
/** What POST /invite/preview tells anyone holding the link. */
export type InvitationPreview = Wire<typeof invitations.previewReply>;
export type ClaimResult = Wire<typeof invitations.claimReply>;
export type NotifyAdminsResponse = Wire<typeof invitations.notifyReply>;
export type NotificationSettings = Wire<typeof invitations.notificationSettings>;
export type ClaimNotificationMode = NotificationSettings['claimNotifications'];
export type ClaimEmailRecipientsResponse = Wire<typeof invitations.claimEmailRecipients>;

// Audit log
export type AuditPage = Wire<typeof audit.auditPage>;
export type AuditEvent = Item<AuditPage>;

// Integrations
export type ApiTokensResponse = Wire<typeof apiTokens.apiTokenList>;
export type ApiToken = Item<ApiTokensResponse>;
export type CreatedApiToken = Wire<typeof apiTokens.createdApiToken>;
export type WebhooksResponse = Wire<typeof webhooks.webhookList>;
export type WebhookEndpoint = Item<WebhooksResponse>;
export type WebhookWithSecret = Wire<typeof webhooks.webhookWithSecret>;
export type WebhookDeliveriesResponse = Wire<typeof webhooks.webhookDeliveryList>;
export type WebhookDelivery = Item<WebhookDeliveriesResponse>;
export type WebhookAttemptsResponse = Wire<typeof webhooks.webhookAttemptList>;

export type UsageReport = Wire<typeof usage.usageReport>;
export type TwoFactorRequirements = Wire<typeof accounts.twoFactorRequirementsReply>;
export type AccountDataExport = Wire<typeof accounts.accountDataExport>;
export type NoticePreferences = Wire<typeof seats.noticePreferences>;
