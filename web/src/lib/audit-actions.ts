import type { AuditAction } from '../api-types';

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'order.created': 'Order added',
  'order.renewed': 'Order renewed',
  'team.created': 'Team created',
  'team.renamed': 'Team renamed',
  'team.deleted': 'Team deleted',
  'license.assigned': 'License assigned',
  'license.revoked': 'License revoked',
  'license.transferred': 'License transferred',
  'role.invited': 'Administrator invited',
  'role.invitation_revoked': 'Invitation revoked',
  'role.granted': 'Role granted',
  'role.removed': 'Role removed',
  'organization.created': 'Organization created',
  'organization.updated': 'Settings changed',
  'product.created': 'Product created',
  'product.updated': 'Product updated',
  'invitation.created': 'Invitation created',
  'invitation.updated': 'Invitation edited',
  'invitation.disabled': 'Invitation link disabled',
  'invitation.enabled': 'Invitation link enabled',
  'invitation.regenerated': 'Invitation link regenerated',
  'invitation.deleted': 'Invitation deleted',
  'invitation.claimed': 'License claimed',
  'invitation.waiting': 'Waiting for licenses',
};

/** The action filter's options, grouped the way people look for them. */
export const AUDIT_ACTION_GROUPS: Array<{ group: string; actions: AuditAction[] }> = [
  { group: 'Licenses', actions: ['license.assigned', 'license.revoked', 'license.transferred'] },
  {
    group: 'Invitations',
    actions: [
      'invitation.claimed',
      'invitation.waiting',
      'invitation.created',
      'invitation.updated',
      'invitation.disabled',
      'invitation.enabled',
      'invitation.regenerated',
      'invitation.deleted',
    ],
  },
  { group: 'Teams', actions: ['team.created', 'team.renamed', 'team.deleted'] },
  { group: 'Administrators', actions: ['role.invited', 'role.invitation_revoked', 'role.granted', 'role.removed'] },
  { group: 'Orders', actions: ['order.created', 'order.renewed'] },
  { group: 'Organization', actions: ['organization.created', 'organization.updated'] },
  { group: 'Products', actions: ['product.created', 'product.updated'] },
];

const ACTION_COLORS: Record<string, string> = {
  license: 'indigo',
  invitation: 'pink',
  team: 'teal',
  role: 'grape',
  order: 'orange',
  organization: 'blue',
  product: 'cyan',
};

function isKnownAction(action: string): action is AuditAction {
  return action in AUDIT_ACTION_LABELS;
}

/** "License revoked" for `license.revoked`; unknown codes read as themselves. */
export function auditActionLabel(action: string): string {
  return isKnownAction(action) ? AUDIT_ACTION_LABELS[action] : action;
}

export function auditActionColor(action: string): string {
  return ACTION_COLORS[action.split('.')[0] ?? ''] ?? 'gray';
}
