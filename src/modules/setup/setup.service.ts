import { AppError } from '../../errors.js';
import { createToken, hashToken } from '../../lib/tokens.js';
import type { Db } from '../../db/database.js';
import type { AccessGrantsService } from '../organizations/access-grants.service.js';
import type { Organization, organizationsRepository } from '../organizations/organizations.repository.js';
import type { setupRepository } from './setup.repository.js';

export type SetupResult = { organization: Organization; adminEmail: string; adminAccountExists: boolean };

/**
 * First run: whoever holds the printed link (or a shell on the server) creates the first
 * organization and names its admin, who is also the instance operator.
 */
export function setupService(deps: {
  db: Db;
  repo: typeof setupRepository;
  organizations: Pick<typeof organizationsRepository, 'create' | 'count'>;
  grants: Pick<AccessGrantsService, 'grantByEmail'>;
}) {
  async function isSetupRequired(): Promise<boolean> {
    return (await deps.organizations.count(deps.db)) === 0;
  }

  async function completeSetup(input: { organizationName: string; adminEmail: string; token?: string }): Promise<SetupResult> {
    return deps.db.transaction().execute(async (trx) => {
      const consumed = await deps.repo.consumeAllTokens(trx);
      if (input.token !== undefined && !consumed.includes(hashToken(input.token))) throw new AppError('SETUP_TOKEN_INVALID');
      if ((await deps.organizations.count(trx)) > 0) throw new AppError('SETUP_ALREADY_DONE');
      const organization = await deps.organizations.create(trx, { name: input.organizationName });
      const adminEmail = input.adminEmail.toLowerCase();
      const { appliedNow } = await deps.grants.grantByEmail(trx, { email: adminEmail, organizationId: organization.id, role: 'org_admin', operator: true });
      return { organization, adminEmail, adminAccountExists: appliedNow };
    });
  }

  return {
    isSetupRequired,

    /** Creates a fresh one-time link when the instance has no organization yet; undefined otherwise. */
    async issueSetupToken(): Promise<string | undefined> {
      if (!(await isSetupRequired())) return undefined;
      const token = createToken();
      await deps.repo.addToken(deps.db, hashToken(token));
      return token;
    },

    async checkToken(token: string): Promise<{ valid: boolean; setupRequired: boolean }> {
      const setupRequired = await isSetupRequired();
      return { valid: setupRequired && (await deps.repo.tokenExists(deps.db, hashToken(token))), setupRequired };
    },

    /** From the web page: the link's token must be one we issued and not yet used. */
    completeWithToken: (input: { token: string; organizationName: string; adminEmail: string }) => completeSetup(input),

    /** From `allot setup`: a shell on the server is proof enough. */
    completeFromShell: (input: { organizationName: string; adminEmail: string }) => completeSetup(input),
  };
}

export type SetupService = ReturnType<typeof setupService>;
