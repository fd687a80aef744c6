import type { ReferralStatus } from '@haven/contracts';

/** What a coordinator may do from the board in each status (the server's machine decides). */
export type StaffAction = 'reject' | 'revoke' | 'cancel';

export function boardActions(status: ReferralStatus): { assign: boolean; staff: StaffAction[] } {
  switch (status) {
    case 'proposed':
      return { assign: true, staff: ['reject', 'cancel'] };
    case 'assigned':
    case 'accepted':
      return { assign: false, staff: ['revoke', 'cancel'] };
    case 'declined':
      return { assign: true, staff: ['cancel'] };
    case 'in_progress':
      return { assign: false, staff: ['revoke'] };
    default:
      return { assign: false, staff: [] };
  }
}

/** The changes an assignee may make next. */
export type AssigneeTarget = 'accepted' | 'declined' | 'in_progress' | 'completed' | 'failed';

export function assigneeActions(status: ReferralStatus): AssigneeTarget[] {
  switch (status) {
    case 'assigned':
      return ['accepted', 'declined'];
    case 'accepted':
      return ['in_progress'];
    case 'in_progress':
      return ['completed', 'failed'];
    default:
      return [];
  }
}

/** Assignee changes that must carry a note (a reason or an outcome). */
export const ASSIGNEE_NOTE_REQUIRED: readonly AssigneeTarget[] = [
  'declined',
  'completed',
  'failed',
];
