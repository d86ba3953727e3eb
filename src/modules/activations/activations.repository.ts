import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/column-types.js';
import type { Dialect, Executor } from '../../db/database.js';
import type { MachineActivationKind, MachineActivationsTable } from '../../db/tables.js';
import { deviceAuthorizationsRepository } from './device-authorizations.repository.js';

/** What a ticket says about a license, read under the license's lock. */
export type TicketLicense = {
  id: string;
  organizationId: string;
  organizationName: string;
  teamId: string;
  productId: string;
  productCode: string;
  productName: string;
  machineLimit: number;
  validUntil: Date;
  holder: { id: string; email: string; name: string } | null;
};

export type MachineActivation = {
  id: string;
  licenseId: string;
  userId: string;
  machineId: string;
  machineName: string | null;
  productVersion: string | null;
  kind: MachineActivationKind;
  firstSeenAt: Date;
  lastSeenAt: Date;
  ticketExpiresAt: Date;
  deactivatedAt: Date | null;
  /** Hashes of the refresh secret chain: the current one, the one it replaced, and the one before. */
  secrets: SecretSlots;
  offlineCodeId: string | null;
};

export type SecretSlots = { current: string | null; previous: string | null; older: string | null };

export type MyMachine = MachineActivation & { productCode: string; productName: string };

/** A selected `machine_activations` row, as the driver returns it (SQLite: text dates). */
type ActivationRow = Omit<Selectable<MachineActivationsTable>, 'deactivation_reason'>;

const activationColumns = [
  'machine_activations.id',
  'machine_activations.license_id',
  'machine_activations.user_id',
  'machine_activations.machine_id',
  'machine_activations.machine_name',
  'machine_activations.product_version',
  'machine_activations.kind',
  'machine_activations.first_seen_at',
  'machine_activations.last_seen_at',
  'machine_activations.ticket_expires_at',
  'machine_activations.deactivated_at',
  'machine_activations.refresh_token_hash',
  'machine_activations.previous_refresh_token_hash',
  'machine_activations.older_refresh_token_hash',
  'machine_activations.offline_code_id',
] as const;

function toActivation(row: ActivationRow): MachineActivation {
  return {
    id: row.id,
    licenseId: row.license_id,
    userId: row.user_id,
    machineId: row.machine_id,
    machineName: row.machine_name,
    productVersion: row.product_version,
    kind: row.kind,
    firstSeenAt: fromDbTime(row.first_seen_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
    ticketExpiresAt: fromDbTime(row.ticket_expires_at),
    deactivatedAt: fromDbTimeOrNull(row.deactivated_at),
    secrets: { current: row.refresh_token_hash, previous: row.previous_refresh_token_hash, older: row.older_refresh_token_hash },
    offlineCodeId: row.offline_code_id,
  };
}

export function activationsRepository(dialect: Dialect) {
  return {
    ...deviceAuthorizationsRepository,
    /**
     * The license a user's machine activates: a running one before an expired one; among those,
     * the one this machine already uses, else the one that runs longest. Expired ones are
     * included so the caller can tell "expired" from "none".
     */
    async findLicenseForActivation(
      executor: Executor,
      { userId, productId, machineId, now }: { userId: string; productId: string; machineId: string; now: Date },
    ): Promise<{ id: string; validUntil: Date } | undefined> {
      const row = await executor
        .selectFrom('licenses')
        .leftJoin('machine_activations', (join) =>
          join
            .onRef('machine_activations.license_id', '=', 'licenses.id')
            .on('machine_activations.machine_id', '=', machineId)
            .on('machine_activations.user_id', '=', userId)
            .on('machine_activations.deactivated_at', 'is', null),
        )
        .select(['licenses.id', 'licenses.valid_until', 'machine_activations.id as activation_id'])
        .where('licenses.assignee_user_id', '=', userId)
        .where('licenses.product_id', '=', productId)
        .orderBy(sql`case when licenses.valid_until > ${toDbTime(now)} then 0 else 1 end`)
        .orderBy(sql`case when machine_activations.id is null then 1 else 0 end`)
        .orderBy('licenses.valid_until', 'desc')
        .orderBy('licenses.id')
        .limit(1)
        .executeTakeFirst();
      return row && { id: row.id, validUntil: fromDbTime(row.valid_until) };
    },

    /** Reads a license for a ticket; on PostgreSQL the row stays locked until the transaction ends, so seat counts are exact. */
    async lockLicense(executor: Executor, licenseId: string): Promise<TicketLicense | undefined> {
      const row = await executor
        .selectFrom('licenses')
        .innerJoin('products', 'products.id', 'licenses.product_id')
        .innerJoin('organizations', 'organizations.id', 'licenses.organization_id')
        .leftJoin('users', 'users.id', 'licenses.assignee_user_id')
        .select([
          'licenses.id',
          'licenses.organization_id',
          'organizations.name as organization_name',
          'licenses.team_id',
          'licenses.product_id',
          'products.code as product_code',
          'products.name as product_name',
          'products.machine_limit',
          'licenses.valid_until',
          'users.id as holder_id',
          'users.email as holder_email',
          'users.name as holder_name',
        ])
        .where('licenses.id', '=', licenseId)
        .$if(dialect === 'postgres', (query) => query.forUpdate('licenses'))
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        organizationId: row.organization_id,
        organizationName: row.organization_name,
        teamId: row.team_id,
        productId: row.product_id,
        productCode: row.product_code,
        productName: row.product_name,
        machineLimit: row.machine_limit,
        validUntil: fromDbTime(row.valid_until),
        holder: row.holder_id ? { id: row.holder_id, email: row.holder_email!, name: row.holder_name! } : null,
      };
    },

    /** The live (not deactivated) row of this machine on this license, whether or not its ticket ran out. */
    async findLiveActivation(executor: Executor, licenseId: string, machineId: string): Promise<MachineActivation | undefined> {
      const row = await executor
        .selectFrom('machine_activations')
        .select(activationColumns)
        .where('license_id', '=', licenseId)
        .where('machine_id', '=', machineId)
        .where('deactivated_at', 'is', null)
        .executeTakeFirst();
      return row && toActivation(row);
    },

    /** Machines holding a seat of the license for this holder: live, with a ticket that has not run out. */
    async listSeatHolders(executor: Executor, { licenseId, userId, now }: { licenseId: string; userId: string; now: Date }): Promise<MachineActivation[]> {
      const rows = await executor
        .selectFrom('machine_activations')
        .select(activationColumns)
        .where('license_id', '=', licenseId)
        .where('user_id', '=', userId)
        .where('deactivated_at', 'is', null)
        .where('ticket_expires_at', '>', toDbTime(now))
        .orderBy('last_seen_at', 'desc')
        .execute();
      return rows.map(toActivation);
    },

    async insertActivation(
      executor: Executor,
      input: {
        licenseId: string;
        userId: string;
        machineId: string;
        machineName: string | null;
        productVersion: string | null;
        kind: MachineActivationKind;
        refreshTokenHash: string | null;
        offlineCodeId: string | null;
        ticketExpiresAt: Date;
        now: Date;
      },
    ): Promise<string> {
      const id = randomUUID();
      await executor
        .insertInto('machine_activations')
        .values({
          id,
          license_id: input.licenseId,
          user_id: input.userId,
          machine_id: input.machineId,
          machine_name: input.machineName,
          product_version: input.productVersion,
          kind: input.kind,
          refresh_token_hash: input.refreshTokenHash,
          offline_code_id: input.offlineCodeId,
          first_seen_at: toDbTime(input.now),
          last_seen_at: toDbTime(input.now),
          ticket_expires_at: toDbTime(input.ticketExpiresAt),
        })
        .execute();
      return id;
    },

    /**
     * A machine seen again: new ticket expiry and, when given, the new refresh-secret chain,
     * offline code, name and version. False when the machine was deactivated meanwhile.
     */
    async recordSeen(
      executor: Executor,
      id: string,
      input: {
        now: Date;
        ticketExpiresAt: Date;
        kind?: MachineActivationKind;
        secrets?: SecretSlots;
        offlineCodeId?: string | null;
        machineName?: string | null;
        productVersion?: string | null;
      },
    ): Promise<boolean> {
      const result = await executor
        .updateTable('machine_activations')
        .set({
          last_seen_at: toDbTime(input.now),
          ticket_expires_at: toDbTime(input.ticketExpiresAt),
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.secrets
            ? { refresh_token_hash: input.secrets.current, previous_refresh_token_hash: input.secrets.previous, older_refresh_token_hash: input.secrets.older }
            : {}),
          ...(input.offlineCodeId !== undefined ? { offline_code_id: input.offlineCodeId } : {}),
          ...(input.machineName ? { machine_name: input.machineName } : {}),
          ...(input.productVersion ? { product_version: input.productVersion } : {}),
        })
        .where('id', '=', id)
        .where('deactivated_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The activation that has this secret hash anywhere in its refresh chain (at most one: secrets are 256 random bits or derived from them). */
    async findBySecretHash(executor: Executor, secretHash: string): Promise<MachineActivation | undefined> {
      const row = await executor
        .selectFrom('machine_activations')
        .select(activationColumns)
        .where((eb) =>
          eb.or([
            eb('refresh_token_hash', '=', secretHash),
            eb('previous_refresh_token_hash', '=', secretHash),
            eb('older_refresh_token_hash', '=', secretHash),
          ]),
        )
        .executeTakeFirst();
      return row && toActivation(row);
    },

    async findById(executor: Executor, id: string): Promise<MachineActivation | undefined> {
      const row = await executor.selectFrom('machine_activations').select(activationColumns).where('id', '=', id).executeTakeFirst();
      return row && toActivation(row);
    },

    /** Ends a machine's activation; its refresh secret stops working at once. */
    async deactivate(executor: Executor, id: string, { now, reason }: { now: Date; reason: string }): Promise<boolean> {
      const result = await executor
        .updateTable('machine_activations')
        .set({
          deactivated_at: toDbTime(now),
          deactivation_reason: reason,
          refresh_token_hash: null,
          previous_refresh_token_hash: null,
          older_refresh_token_hash: null,
          offline_code_id: null,
        })
        .where('id', '=', id)
        .where('deactivated_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async touchLicense(executor: Executor, licenseId: string, now: Date): Promise<void> {
      await executor
        .updateTable('licenses')
        .set({ last_seen_at: toDbTime(now) })
        .where('id', '=', licenseId)
        .execute();
    },

    /** The machines the license's current holder uses it on, most recently seen first (the admin view). */
    async listForLicense(executor: Executor, licenseId: string, now: Date): Promise<MachineActivation[]> {
      const rows = await executor
        .selectFrom('machine_activations')
        .innerJoin('licenses', 'licenses.id', 'machine_activations.license_id')
        .select(activationColumns)
        .where('machine_activations.license_id', '=', licenseId)
        .whereRef('licenses.assignee_user_id', '=', 'machine_activations.user_id')
        .where('machine_activations.deactivated_at', 'is', null)
        .where('machine_activations.ticket_expires_at', '>', toDbTime(now))
        .orderBy('machine_activations.last_seen_at', 'desc')
        .execute();
      return rows.map(toActivation);
    },

    /** The user's machines on licenses they still hold, most recently seen first. */
    async listForUser(executor: Executor, userId: string, now: Date): Promise<MyMachine[]> {
      const rows = await executor
        .selectFrom('machine_activations')
        .innerJoin('licenses', 'licenses.id', 'machine_activations.license_id')
        .innerJoin('products', 'products.id', 'licenses.product_id')
        .select([...activationColumns, 'products.code as product_code', 'products.name as product_name'])
        .where('machine_activations.user_id', '=', userId)
        .whereRef('licenses.assignee_user_id', '=', 'machine_activations.user_id')
        .where('machine_activations.deactivated_at', 'is', null)
        .where('machine_activations.ticket_expires_at', '>', toDbTime(now))
        .orderBy('machine_activations.last_seen_at', 'desc')
        .execute();
      return rows.map((row) => ({ ...toActivation(row), productCode: row.product_code, productName: row.product_name }));
    },
  };
}

export type ActivationsRepository = ReturnType<typeof activationsRepository>;
