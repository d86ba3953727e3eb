import type { RateLimitRule } from '../../../auth/rate-limiter.js';
import { AppError } from '../../../errors.js';
import { hashToken } from '../../../lib/tokens.js';
import type { LicenseTicketClaims } from '../license-ticket.js';
import { CLIENT_LIMIT, MINUTE_MS, type ActivationSteps, type ActivationsDeps, type IssuedTicket } from '../activation-steps.js';

const REFRESH_CLIENT_LIMIT: RateLimitRule = { limit: 1_200, windowMs: MINUTE_MS };

/** Refresh: the next ticket and refresh secret of an activated machine, or of a machine back online with its offline code. */
export function refreshUseCase(deps: ActivationsDeps, steps: ActivationSteps) {
  const { limit, nextSecret, continueChain, followChain, onLockedActivation } = steps;
  return {
    /**
     * A new ticket and the next refresh secret for an activated machine. Showing the previous
     * secret again gets the same answer (a lost answer, or two refreshes at once); showing an
     * older one ends the activation, since a copy of it is in use somewhere.
     */
    async refresh(input: { refreshToken: string; productVersion?: string | null | undefined }, ip: string): Promise<IssuedTicket> {
      await limit(`refresh-client:${ip}`, REFRESH_CLIENT_LIMIT);
      const found = await deps.repo.findBySecretHash(deps.db, hashToken(input.refreshToken));
      if (!found || found.deactivatedAt) throw new AppError('ACTIVATION_ENDED');
      const signer = await deps.keys.signer();

      return onLockedActivation(found, ip, (trx, license, current) =>
        followChain(trx, { license, activation: current, presented: input.refreshToken, productVersion: input.productVersion, ip, signer }),
      );
    },

    /**
     * Once its machine is online, an offline code is exchanged for an online activation: once,
     * and only the newest code of the machine, issued for the license as it is now (not before a
     * renewal or a revoke). Showing the same code again right after gets the same answer.
     */
    async redeemOfflineCode(input: { offlineCode: string; productVersion?: string | null | undefined }, ip: string): Promise<IssuedTicket> {
      await limit(`activation-client:${ip}`, CLIENT_LIMIT);
      const claims = (await deps.keys.verify(input.offlineCode)) as unknown as LicenseTicketClaims;
      if (claims.kind !== 'offline' || !claims.offlineCodeId)
        throw new AppError('TICKET_INVALID', { message: 'Online tickets refresh with their refresh token, not the ticket.' });
      const found = await deps.repo.findById(deps.db, claims.jti);
      if (!found || found.deactivatedAt) throw new AppError('ACTIVATION_ENDED');
      const signer = await deps.keys.signer();

      return onLockedActivation(found, ip, async (trx, license, current) => {
        const codeHash = hashToken(input.offlineCode);
        if (codeHash === current.secrets.previous || codeHash === current.secrets.older) {
          // Redeemed before: the same answer again, or a copy of the code in use elsewhere.
          return followChain(trx, { license, activation: current, presented: input.offlineCode, productVersion: input.productVersion, ip, signer });
        }
        if (current.offlineCodeId !== claims.offlineCodeId || claims.license.validUntil !== license.validUntil.toISOString()) {
          return { denied: 'OFFLINE_CODE_SUPERSEDED', license };
        }
        const token = nextSecret(current.id, input.offlineCode);
        return continueChain(trx, {
          license,
          activation: current,
          step: { token, secrets: { current: hashToken(token), previous: codeHash, older: null } },
          productVersion: input.productVersion,
          ip,
          signer,
          reissueAs: 'activation.offline_code_redeemed',
          consumesOfflineCode: true,
        });
      });
    },
  };
}
