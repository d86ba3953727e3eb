import type { LicenseHistoryEntry } from '@allot/contract';

type EndReason = NonNullable<LicenseHistoryEntry['endReason']>;

/** Why a hold ended, as a license's history tells administrators ("Jun 3, 10:12: given back by the holder"). */
export const END_REASON_LABELS: Record<EndReason, string> = {
  revoked: 'revoked',
  expired: 'expired',
  reclaimed: 'released because it was not used',
  returned: 'given back by the holder',
  account_deleted: 'released when the account was deleted',
};

/** The same, told to the person who held it. */
export const MY_END_REASON_LABELS: Record<EndReason, string> = {
  revoked: 'Revoked by an administrator',
  expired: 'Expired',
  reclaimed: 'Released because it was not used',
  returned: 'You gave it back',
  account_deleted: 'Released when the account was deleted',
};
