import { invitationRules, type InvitationsDeps } from './invitation-rules.js';
import { claimUseCase } from './use-cases/claim.js';
import { manageInvitationsUseCase } from './use-cases/manage.js';
import { claimNotificationsUseCase } from './use-cases/notifications.js';

/**
 * Bulk invitations: one link an admin shares; people claim licenses with it. Each use case is a
 * file of its own (use-cases/); the rules they share are invitation-rules.ts.
 */
export function invitationsService(deps: InvitationsDeps) {
  const rules = invitationRules(deps);
  return {
    ...manageInvitationsUseCase(deps, rules),
    ...claimUseCase(deps, rules),
    ...claimNotificationsUseCase(deps),
  };
}

export type InvitationsService = ReturnType<typeof invitationsService>;
