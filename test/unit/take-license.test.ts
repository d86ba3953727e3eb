import { describe, expect, it } from 'vitest';
import type { BatchMemo } from '../../src/db/transaction-batcher.js';
import type { ClaimedLicense } from '../../src/modules/licenses/licenses.repository.js';
import { isRefusal, takeLicense } from '../../src/modules/licenses/take-license.js';

/** A fake licenses repository (Pick<> of what takeLicense uses) that records the order of calls. */
function fakeRepository({ held = false, free = 2, claimable = true }: { held?: boolean; free?: number; claimable?: boolean } = {}) {
  const calls: string[] = [];
  const license: ClaimedLicense = { id: 'L000000001', organizationId: 'o', teamId: 't', productId: 'p', validUntil: new Date('2030-01-01') };
  return {
    calls,
    license,
    repo: {
      takeSituation: async () => (calls.push('takeSituation'), { holds: held, free }),
      countFree: async () => (calls.push('countFree'), free),
      claimFree: async () => (calls.push('claimFree'), claimable ? license : undefined),
      countClaimed: async () => void calls.push('countClaimed'),
      countClaimedAtCommit: () => void calls.push('countClaimedAtCommit'),
      claimedInBatch: () => (calls.push('claimedInBatch'), 1),
    },
  };
}

const input = {
  organizationId: 'o',
  teamId: 't',
  productId: 'p',
  email: 'a@example.test',
  userId: 'u',
  source: 'manual' as const,
  assignedByUserId: null,
  now: new Date(),
};
const executor = {} as never;

describe('taking a license (the licenses module operation behind assignments and claims)', () => {
  it('takes a free one, runs the caller’s writes, and counts it in the pool last', async () => {
    const { repo, calls, license } = fakeRepository({ free: 3 });
    const result = await takeLicense(repo)(executor, input, {
      then: async (taken, pool) => {
        calls.push(`then(${taken.id}, ${pool.freeAfter} left)`);
        return 'done';
      },
    });
    expect(result).toBe('done');
    expect(calls).toEqual(['takeSituation', 'claimFree', `then(${license.id}, 2 left)`, 'countClaimed']);
  });

  it('refuses someone who holds one already, touching nothing', async () => {
    const { repo, calls } = fakeRepository({ held: true });
    const result = await takeLicense(repo)(executor, input, { then: async () => 'never' });
    expect(result).toEqual({ refused: 'LICENSE_ALREADY_HELD' });
    expect(isRefusal(result)).toBe(true);
    expect(calls).toEqual(['takeSituation']);
  });

  it('answers NO_ASSETS_LEFT when no free license is left, without the caller’s writes', async () => {
    const { repo, calls } = fakeRepository({ free: 0, claimable: false });
    const result = await takeLicense(repo)(executor, input, { then: async () => 'never' });
    expect(result).toEqual({ refused: 'NO_ASSETS_LEFT' });
    expect(calls).not.toContain('countClaimed');
  });

  it('inside a group-commit batch, leaves the count for the commit and subtracts what the batch took', async () => {
    const { repo, calls } = fakeRepository({ free: 5 });
    const registered: string[] = [];
    const batch = { beforeCommit: (key: string) => void registered.push(key) } as unknown as BatchMemo;
    let left = -1;
    await takeLicense(repo)(executor, input, {
      batch,
      then: async (_taken, pool) => {
        left = pool.freeAfter;
      },
    });
    // 5 counted free, 1 taken earlier in the batch and not counted yet, this one: 3 left.
    expect(left).toBe(3);
    expect(calls.at(-1)).toBe('countClaimedAtCommit');
    expect(calls).not.toContain('countClaimed');
    // The pool's level is read once for the whole batch, at its commit.
    expect(registered).toEqual(['pool-level:t:p']);
  });

  it('tells the pool watch after the count moved, and how many this take took', async () => {
    const { repo, calls } = fakeRepository({ free: 4 });
    const seen: unknown[] = [];
    await takeLicense(repo, { taken: async (_executor, pool) => void seen.push({ ...pool, after: calls.at(-1) }) })(executor, input, {
      then: async () => 'done',
    });
    expect(seen).toEqual([{ organizationId: 'o', teamId: 't', productId: 'p', taken: 1, after: 'countClaimed' }]);
  });
});
