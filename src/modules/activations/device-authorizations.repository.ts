import { randomUUID } from 'node:crypto';
import { fromDbTime, toDbTime } from '../../db/column-types.js';
import type { Executor } from '../../db/database.js';
import type { DeviceAuthorizationStatus } from '../../db/tables.js';

export type DeviceAuthorization = {
  id: string;
  productId: string;
  productCode: string;
  productName: string;
  machineId: string;
  machineName: string | null;
  status: DeviceAuthorizationStatus;
  userId: string | null;
  expiresAt: Date;
  lastPolledAt: Date | null;
};

/** Device logins (RFC 8628): pending codes a product polls with, until a person approves or denies them. */
export const deviceAuthorizationsRepository = {
  async insertDeviceAuthorization(
    executor: Executor,
    input: { deviceCodeHash: string; userCodeHash: string; productId: string; machineId: string; machineName: string | null; expiresAt: Date; now: Date },
  ): Promise<void> {
    await executor
      .insertInto('device_authorizations')
      .values({
        id: randomUUID(),
        device_code_hash: input.deviceCodeHash,
        user_code_hash: input.userCodeHash,
        product_id: input.productId,
        machine_id: input.machineId,
        machine_name: input.machineName,
        status: 'pending',
        expires_at: toDbTime(input.expiresAt),
        created_at: toDbTime(input.now),
      })
      .execute();
  },

  async findDeviceAuthorization(executor: Executor, by: { deviceCodeHash: string } | { userCodeHash: string }): Promise<DeviceAuthorization | undefined> {
    const row = await executor
      .selectFrom('device_authorizations')
      .innerJoin('products', 'products.id', 'device_authorizations.product_id')
      .select([
        'device_authorizations.id',
        'device_authorizations.product_id',
        'products.code as product_code',
        'products.name as product_name',
        'device_authorizations.machine_id',
        'device_authorizations.machine_name',
        'device_authorizations.status',
        'device_authorizations.user_id',
        'device_authorizations.expires_at',
        'device_authorizations.last_polled_at',
      ])
      .where((eb) =>
        'deviceCodeHash' in by
          ? eb('device_authorizations.device_code_hash', '=', by.deviceCodeHash)
          : eb('device_authorizations.user_code_hash', '=', by.userCodeHash),
      )
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        productId: row.product_id,
        productCode: row.product_code,
        productName: row.product_name,
        machineId: row.machine_id,
        machineName: row.machine_name,
        status: row.status,
        userId: row.user_id,
        expiresAt: fromDbTime(row.expires_at),
        lastPolledAt: row.last_polled_at === null ? null : fromDbTime(row.last_polled_at),
      }
    );
  },

  /** Moves a device authorization from one status to the next; false when another request got there first. */
  async transitionDeviceAuthorization(
    executor: Executor,
    id: string,
    { from, to, userId }: { from: DeviceAuthorizationStatus; to: DeviceAuthorizationStatus; userId?: string },
  ): Promise<boolean> {
    const result = await executor
      .updateTable('device_authorizations')
      .set({ status: to, ...(userId ? { user_id: userId } : {}) })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async markDevicePolled(executor: Executor, id: string, now: Date): Promise<void> {
    await executor
      .updateTable('device_authorizations')
      .set({ last_polled_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
  },

  async deleteExpiredDeviceAuthorizations(executor: Executor, before: Date): Promise<void> {
    await executor.deleteFrom('device_authorizations').where('expires_at', '<', toDbTime(before)).execute();
  },
};
