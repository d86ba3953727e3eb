import type { ColumnType, Generated } from 'kysely';

/** An instant: read as Date (PostgreSQL) or ISO text (SQLite), written as ISO text. */
type Timestamp = ColumnType<Date | string, string, string>;
type TimestampWithDefault = ColumnType<Date | string, string | undefined, string>;
/** A boolean: read as boolean (PostgreSQL) or 0/1 (SQLite), written as 0/1. */
type Bool = ColumnType<boolean | number, number, number>;
type BoolWithDefault = ColumnType<boolean | number, number | undefined, number>;

// Better Auth's tables (mapped to our naming in auth/auth.ts). Better Auth writes them; we only read.
export type UsersTable = {
  id: string;
  name: string;
  email: string;
  email_verified: Bool;
  image: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  two_factor_enabled: Bool | null;
};

export type SessionsTable = {
  id: string;
  token: string;
  user_id: string;
  expires_at: Timestamp;
  ip_address: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type AccountsTable = {
  id: string;
  account_id: string;
  provider_id: string;
  user_id: string;
  password: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type VerificationsTable = {
  id: string;
  identifier: string;
  value: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type TwoFactorsTable = {
  id: string;
  secret: string;
  backup_codes: string;
  user_id: string;
  verified: Bool | null;
};

// Our tables.
export type OrganizationsTable = {
  id: string;
  name: string;
  min_days_before_revoke: ColumnType<number, number | undefined, number>;
  /** Admins are alerted when a pool's free seats fall to this many (0: when it runs out). */
  low_seat_threshold: ColumnType<number, number | undefined, number>;
  /** Release seats not used for this many days; null: never. */
  reclaim_idle_days: number | null;
  require_two_factor: ColumnType<TwoFactorPolicy, TwoFactorPolicy | undefined, TwoFactorPolicy>;
  /** Until then, people the 2FA policy covers may still work without it. */
  two_factor_grace_until: Timestamp | null;
  created_at: TimestampWithDefault;
};

export type TwoFactorPolicy = 'off' | 'admins' | 'everyone';

export type OrganizationRole = 'org_admin' | 'org_viewer';
export type TeamRole = 'team_admin' | 'team_viewer';
export type Role = OrganizationRole | TeamRole;
export type AssignmentSource = 'manual' | 'invitation' | 'api';

export type OrganizationRolesTable = {
  organization_id: string;
  user_id: string;
  role: OrganizationRole;
  created_at: TimestampWithDefault;
};

export type OperatorsTable = {
  user_id: string;
  created_at: TimestampWithDefault;
};

export type PendingGrantsTable = {
  id: Generated<number>;
  email: string;
  organization_id: string | null;
  role: OrganizationRole | null;
  operator: BoolWithDefault;
  created_at: TimestampWithDefault;
};

export type SetupTokensTable = {
  token_hash: string;
  created_at: TimestampWithDefault;
};

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export type OutboxTable = {
  id: Generated<number>;
  dedup_key: string;
  to_address: string;
  subject: string;
  /** `sealed:<AES-GCM envelope>` of the text and HTML bodies; '' once delivered or given up. */
  text_body: string;
  /** Unused since bodies are sealed together in text_body (kept for rows written before). */
  html_body: string | null;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  /** When the message was noted in the log (no SMTP), or left 'pending'; null while neither. */
  logged_at: Timestamp | null;
  created_at: TimestampWithDefault;
  sent_at: Timestamp | null;
};

export type RateLimitsTable = {
  key: string;
  /** Milliseconds since the epoch; integer arithmetic reads the same on both dialects. */
  window_started_at: ColumnType<number | string, number, number>;
  hits: number;
};

export type ProductsTable = {
  id: string;
  code: string;
  name: string;
  description: string | null;
  /** How many machines may use one license at once. */
  machine_limit: ColumnType<number, number | undefined, number>;
  created_at: TimestampWithDefault;
};

export type TeamsTable = {
  id: string;
  organization_id: string;
  name: string;
  created_at: TimestampWithDefault;
};

export type TeamRolesTable = {
  team_id: string;
  user_id: string;
  role: TeamRole;
  created_at: TimestampWithDefault;
};

export type OrdersTable = {
  id: string;
  reference: string;
  organization_id: string;
  product_id: string;
  team_id: string | null;
  quantity: number;
  valid_until: Timestamp;
  renews_order_id: string | null;
  source: 'api' | 'console' | 'csv';
  created_at: TimestampWithDefault;
};

export type LicensesTable = {
  id: string;
  organization_id: string;
  team_id: string;
  product_id: string;
  order_id: string;
  valid_until: Timestamp;
  assignee_email: string | null;
  assignee_user_id: string | null;
  assigned_at: Timestamp | null;
  last_seen_at: Timestamp | null;
  created_at: TimestampWithDefault;
};

export type LicenseAssignmentsTable = {
  id: Generated<number>;
  license_id: string;
  email: string;
  user_id: string | null;
  source: AssignmentSource;
  invitation_id: string | null;
  assigned_by_user_id: string | null;
  assigned_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: AssignmentEndReason | null;
  /** The holder said "I still use it": counts as use for the idle-seat policy. */
  kept_at: Timestamp | null;
  /** When the holder was warned that the idle seat will be released. */
  idle_warned_at: Timestamp | null;
};

export type AssignmentEndReason = 'revoked' | 'expired' | 'reclaimed' | 'returned' | 'account_deleted';

export type RoleInvitationsTable = {
  id: string;
  organization_id: string;
  team_id: string | null;
  email: string;
  role: Role;
  token_hash: string;
  invited_by_user_id: string | null;
  created_at: TimestampWithDefault;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by_user_id: string | null;
};

export type ApiTokenScope = 'operator' | 'read' | 'write';

export type ApiTokensTable = {
  id: string;
  name: string;
  token_hash: string;
  scope: ApiTokenScope;
  /** Null for operator tokens; an organization's token acts only in it. */
  organization_id: string | null;
  /** False: only the teams in api_token_teams (none left means no team at all). */
  all_teams: ColumnType<boolean | number, boolean | number | undefined, boolean | number>;
  expires_at: Timestamp | null;
  created_by_user_id: string | null;
  created_at: TimestampWithDefault;
  last_used_at: Timestamp | null;
  last_used_ip: string | null;
  revoked_at: Timestamp | null;
};

export type ApiTokenTeamsTable = { token_id: string; team_id: string };

export type IdempotencyKeysTable = {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_sealed: string | null;
  created_at: Timestamp;
};

export type WebhookEndpointsTable = {
  id: string;
  organization_id: string;
  url: string;
  description: string | null;
  /** JSON array of event types. */
  events: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Timestamp | null;
  enabled: ColumnType<boolean | number, boolean | number, boolean | number>;
  disabled_reason: string | null;
  failing_since: Timestamp | null;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type WebhookDeliveriesTable = {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
};

export type WebhookAttemptsTable = {
  id: Generated<number>;
  delivery_id: string;
  attempted_at: Timestamp;
  status_code: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
};

export type AuditEventsTable = {
  id: Generated<number>;
  organization_id: string | null;
  team_id: string | null;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string;
  ip: string | null;
  /** JSON text on SQLite, jsonb on PostgreSQL; written as JSON text. */
  details: ColumnType<unknown, string | null, string | null>;
  created_at: Timestamp;
};

export type InvitationsTable = {
  id: string;
  organization_id: string;
  team_id: string;
  product_id: string;
  name: string | null;
  token_nonce: string;
  token_hash: string;
  enabled: BoolWithDefault;
  expires_at: Timestamp | null;
  /** JSON array of lower-case domains ("acme.com", "*.acme.com"), or null for any. */
  allowed_domains: string | null;
  max_claims: number | null;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type InvitationClaimsTable = {
  id: Generated<number>;
  invitation_id: string;
  user_id: string;
  license_id: string;
  claimed_at: Timestamp;
};

export type InvitationWaitlistTable = {
  invitation_id: string;
  user_id: string;
  created_at: Timestamp;
};

export type ClaimNotificationMode = 'each' | 'digest' | 'off';

export type NotificationPreferencesTable = {
  user_id: string;
  organization_id: string;
  claim_notifications: ClaimNotificationMode;
};

export type ClaimDigestItemsTable = {
  id: Generated<number>;
  user_id: string;
  organization_id: string;
  claim_id: number;
  summary: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
};

export type LicensePoolsTable = {
  organization_id: string;
  team_id: string;
  product_id: string;
  valid_until: Timestamp;
  total: number;
  assigned: number;
};

export type UsageDailyTable = {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  organization_id: string;
  team_id: string;
  product_id: string;
  total: number;
  assigned: number;
  active: number;
  recorded_at: Timestamp;
};

export type NoticeKind = 'expiry' | 'low_seats';

export type NoticeOptOutsTable = { user_id: string; organization_id: string; kind: NoticeKind };

export type SigningKeysTable = {
  kid: string;
  public_jwk: string;
  private_key_sealed: string;
  created_at: Timestamp;
  retired_at: Timestamp | null;
  verifies_until: Timestamp | null;
};

export type AppPasswordsTable = {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  hint: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
};

export type DeviceAuthorizationStatus = 'pending' | 'approved' | 'denied' | 'used';

export type DeviceAuthorizationsTable = {
  id: string;
  device_code_hash: string;
  user_code_hash: string;
  product_id: string;
  machine_id: string;
  machine_name: string | null;
  status: DeviceAuthorizationStatus;
  user_id: string | null;
  expires_at: Timestamp;
  last_polled_at: Timestamp | null;
  created_at: Timestamp;
};

export type MachineActivationKind = 'online' | 'offline';

export type MachineActivationsTable = {
  id: string;
  license_id: string;
  user_id: string;
  machine_id: string;
  machine_name: string | null;
  product_version: string | null;
  kind: MachineActivationKind;
  refresh_token_hash: string | null;
  previous_refresh_token_hash: string | null;
  older_refresh_token_hash: string | null;
  offline_code_id: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  ticket_expires_at: Timestamp;
  deactivated_at: Timestamp | null;
  deactivation_reason: string | null;
};

export type Tables = {
  signing_keys: SigningKeysTable;
  app_passwords: AppPasswordsTable;
  device_authorizations: DeviceAuthorizationsTable;
  machine_activations: MachineActivationsTable;
  license_pools: LicensePoolsTable;
  usage_daily: UsageDailyTable;
  notice_opt_outs: NoticeOptOutsTable;
  invitations: InvitationsTable;
  invitation_claims: InvitationClaimsTable;
  invitation_waitlist: InvitationWaitlistTable;
  notification_preferences: NotificationPreferencesTable;
  claim_digest_items: ClaimDigestItemsTable;
  products: ProductsTable;
  teams: TeamsTable;
  team_roles: TeamRolesTable;
  orders: OrdersTable;
  licenses: LicensesTable;
  license_assignments: LicenseAssignmentsTable;
  role_invitations: RoleInvitationsTable;
  api_tokens: ApiTokensTable;
  api_token_teams: ApiTokenTeamsTable;
  idempotency_keys: IdempotencyKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  audit_events: AuditEventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  accounts: AccountsTable;
  verifications: VerificationsTable;
  two_factors: TwoFactorsTable;
  organizations: OrganizationsTable;
  organization_roles: OrganizationRolesTable;
  operators: OperatorsTable;
  pending_grants: PendingGrantsTable;
  setup_tokens: SetupTokensTable;
  outbox: OutboxTable;
  rate_limits: RateLimitsTable;
};
