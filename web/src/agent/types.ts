import type { CaseSummary, RightCode } from '../api/types';

/** A line of the queue: GET /api/v1/cases answers the summary and the requested right codes. */
export interface QueueItem extends CaseSummary {
  rightCodes: RightCode[];
}

/** A note or a message (GET /api/v1/cases/:id/notes|messages). */
export interface Entry {
  id: string;
  body: string;
  createdAt: string;
  author: { name: string; kind: 'usager' | 'staff' | 'operateur' };
}

/** A staff member of the département (GET /api/v1/staff, responsable and admin only). */
export interface StaffMember {
  id: string;
  displayName: string;
  role: string;
  team: string | null;
  status: string;
}
