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
  created_at: TimestampWithDefault;
};

export type OrganizationRole = 'org_admin' | 'org_viewer';

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
  text_body: string;
  html_body: string | null;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
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

export type Tables = {
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
