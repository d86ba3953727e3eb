import type { AuditAction } from '@allot/contract';

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'order.created': 'Order added',
  'order.renewed': 'Order renewed',
  'team.created': 'Team created',
  'team.renamed': 'Team renamed',
  'team.deleted': 'Team deleted',
  'license.assigned': 'License assigned',
  'license.revoked': 'License revoked',
  'license.reclaimed': 'Idle license released',
  'license.returned': 'License given back',
  'license.kept': 'Idle license kept',
  'account.deleted': 'Account deleted',
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
  'activation.created': 'Machine activated',
  'activation.resumed': 'Machine activation resumed',
  'activation.refresh_denied': 'Machine refused a ticket',
  'activation.deactivated': 'Machine deactivated',
  'activation.offline_code_issued': 'Offline code issued',
  'activation.offline_code_redeemed': 'Offline code used online',
  'device_login.approved': 'Device login approved',
  'device_login.denied': 'Device login denied',
  'app_password.created': 'App password created',
  'app_password.revoked': 'App password revoked',
  'app_password.revoked_by_password_reset': 'App passwords revoked by a password reset',
  'signing_key.rotated': 'Signing key rotated',
  'api_token.created': 'API token created',
  'api_token.revoked': 'API token revoked',
  'webhook.created': 'Webhook endpoint added',
  'webhook.updated': 'Webhook endpoint changed',
  'webhook.deleted': 'Webhook endpoint deleted',
  'webhook.secret_rotated': 'Webhook secret rotated',
  'webhook.disabled': 'Webhook endpoint turned off after failing',
};

/** The action filter's options, grouped the way people look for them. */
export const AUDIT_ACTION_GROUPS: Array<{ group: string; actions: AuditAction[] }> = [
  {
    group: 'Licenses',
    actions: ['license.assigned', 'license.revoked', 'license.transferred', 'license.reclaimed', 'license.returned', 'license.kept', 'account.deleted'],
  },
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
  {
    group: 'Machines',
    actions: [
      'activation.created',
      'activation.resumed',
      'activation.refresh_denied',
      'activation.deactivated',
      'activation.offline_code_issued',
      'activation.offline_code_redeemed',
      'device_login.approved',
      'device_login.denied',
    ],
  },
  {
    group: 'Credentials',
    actions: [
      'app_password.created',
      'app_password.revoked',
      'app_password.revoked_by_password_reset',
      'api_token.created',
      'api_token.revoked',
      'signing_key.rotated',
    ],
  },
  { group: 'Webhooks', actions: ['webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.secret_rotated', 'webhook.disabled'] },
];

const ACTION_COLORS: Record<string, string> = {
  license: 'indigo',
  invitation: 'pink',
  team: 'teal',
  role: 'grape',
  order: 'orange',
  organization: 'blue',
  product: 'cyan',
  activation: 'lime',
  device_login: 'lime',
  app_password: 'yellow',
  api_token: 'yellow',
  signing_key: 'yellow',
  webhook: 'violet',
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
