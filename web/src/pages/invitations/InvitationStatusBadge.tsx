import { Badge, type BadgeProps } from '@mantine/core';
import type { InvitationStatus } from '@allot/contract';
import { INVITATION_STATUS_COLORS, INVITATION_STATUS_HINTS, INVITATION_STATUS_LABELS } from '../../lib/invitations';

type InvitationStatusBadgeProps = { status: InvitationStatus } & Omit<BadgeProps, 'color' | 'children'>;

/** Active, Expired, Disabled or Used up, with what that means on hover. */
export function InvitationStatusBadge({ status, ...props }: InvitationStatusBadgeProps) {
  return (
    <Badge variant="light" color={INVITATION_STATUS_COLORS[status]} title={INVITATION_STATUS_HINTS[status]} {...props}>
      {INVITATION_STATUS_LABELS[status]}
    </Badge>
  );
}

/** Shown beside an active invitation whose team has no free license of its product left. */
export function NoAssetsLeftBadge(props: Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge variant="outline" color="orange" title="Every license of this product in the team is taken: people who open the link cannot claim one." {...props}>
      No assets left
    </Badge>
  );
}
