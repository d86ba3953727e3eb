import type { Executor } from '../../db/database.js';
import type { BatchMemo } from '../../db/transaction-batcher.js';
import type { ClaimedLicense, ClaimFreeInput, LicensesRepository } from './licenses.repository.js';

export type TakeLicenseInput = ClaimFreeInput & { organizationId: string };

/** Why no license was taken; the caller turns it into its own answer. */
export type LicenseRefusal = { refused: 'LICENSE_ALREADY_HELD' | 'NO_ASSETS_LEFT' };

export type TakeLicense = ReturnType<typeof takeLicense>;

/**
 * Told, in the transaction of a take and after its pool's counter moved, how many licenses this
 * transaction (or group-commit batch) took from the pool: the low-seat alert and the
 * `pool.exhausted` webhook read the pool's level there.
 */
export type PoolWatch = {
  taken(executor: Executor, pool: { organizationId: string; teamId: string; productId: string; taken: number }, now: Date): Promise<void>;
};

/**
 * Taking a free license for someone: the one operation behind an admin's assignment and an
 * invitation claim, so its steps keep their order in both. Already held? Then nothing (that and
 * what the pool has free are one read). Take a free one (retrying past rows other transactions
 * hold locked). Run the caller's own writes for it (`then`: audit, mail). Count it in the pool
 * last — or, inside a group-commit batch, once for the whole batch at its commit — since the
 * pool's counter row is the one lock every taker shares, and holding it only from there to COMMIT
 * keeps takers from queueing behind each other.
 */
export function takeLicense(
  repo: Pick<LicensesRepository, 'takeSituation' | 'claimFree' | 'countFree' | 'countClaimed' | 'countClaimedAtCommit' | 'claimedInBatch'>,
  poolWatch?: PoolWatch,
) {
  return async function take<T>(
    executor: Executor,
    input: TakeLicenseInput,
    options: {
      /** The group-commit batch the caller runs in, if any. */
      batch?: BatchMemo;
      /** The caller's writes for the taken license; `freeAfter` is what the pool has left. */
      then: (license: ClaimedLicense, pool: { freeAfter: number }) => Promise<T>;
    },
  ): Promise<T | LicenseRefusal> {
    const situation = await repo.takeSituation(executor, input);
    if (situation.holds) return { refused: 'LICENSE_ALREADY_HELD' };
    const takenUncounted = options.batch ? repo.claimedInBatch(options.batch, input) : 0;
    const freeBefore = situation.free - takenUncounted;
    const license = await claimFreeWithRetry(repo, executor, input, takenUncounted);
    if (!license) return { refused: 'NO_ASSETS_LEFT' };
    const result = await options.then(license, { freeAfter: Math.max(0, freeBefore - 1) });
    const pool = { organizationId: input.organizationId, teamId: input.teamId, productId: input.productId };
    // What the pool has left is read after its counter moved (a batch's moves at its commit, so
    // the check goes there too): takers racing on one counter row queue on its lock, so each sees
    // its own level. (On PostgreSQL, two batches taking the last licenses of the same product with
    // different valid-until dates at the same instant each still see the other's as free.)
    const report = async (trx: Executor, taken: number) => poolWatch?.taken(trx, { ...pool, taken }, input.now);
    if (options.batch) {
      repo.countClaimedAtCommit(options.batch, license);
      options.batch.beforeCommit(`pool-level:${pool.teamId}:${pool.productId}`, pool, (trx, items) => report(trx, items.length));
    } else {
      await repo.countClaimed(executor, license);
      await report(executor, 1);
    }
    return result;
  };
}

export const isRefusal = (value: unknown): value is LicenseRefusal => typeof value === 'object' && value !== null && 'refused' in value;

/**
 * Takes a free license, as LicensesRepository.claimFree does. On PostgreSQL a claim skips rows that
 * concurrent claims hold locked; when it finds nothing but committed free rows remain (their lockers
 * may still roll back), it tries again briefly instead of answering "No assets left" too early.
 * `takenUncounted`: licenses of the pool this transaction took that its counters do not show yet.
 */
async function claimFreeWithRetry(
  repo: Pick<LicensesRepository, 'claimFree' | 'countFree'>,
  executor: Executor,
  input: TakeLicenseInput,
  takenUncounted: number,
): Promise<ClaimedLicense | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const license = await repo.claimFree(executor, input);
    if (license) return license;
    if ((await repo.countFree(executor, input)) - takenUncounted <= 0) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  return undefined;
}
