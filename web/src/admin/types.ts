/** The shapes of the admin and DPO APIs, as this console reads them (the server decides). */

export interface StaffRequest {
  id: string;
  /** create and change ask for a role; disable and enable for the account's status. */
  purpose: 'create' | 'change' | 'disable' | 'enable';
  accountId: string;
  displayName: string;
  email: string;
  currentRole: string | null;
  role: string | null;
  team: string | null;
  expiresAt: string | null;
  requestedBy: string | null;
  requestedAt: string;
  mayDecide: boolean;
}

/** The answer of POST /api/v1/accounts/:id/disable. */
export interface DisableOutcome {
  accountId: string;
  status: 'disabled' | 'pending';
  requestId: string | null;
}

export interface IntegrationToken {
  id: string;
  name: string;
  permissions: string[];
  status: 'pending' | 'active' | 'expired' | 'revoked';
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface ReviewItem {
  id: string;
  reviewId: string;
  deadline: string;
  accountId: string;
  displayName: string;
  role: string;
  team: string | null;
  status: 'pending' | 'confirmed' | 'revoked' | 'lapsed' | 'superseded';
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorKind: string;
  actor: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  purpose: string | null;
  onBehalfOf: string | null;
  address?: string;
}

export interface Verification {
  ok: boolean;
  events: number;
  checkpoints: number;
  checkedAt: string;
  problem?: { seq: number; reason: string };
}

export interface AlertItem {
  id: string;
  rule: string;
  title: string;
  severity: string;
  subject: string;
  status: string;
  count: number;
  firstAt: string;
  lastAt: string;
  evidence: number[];
}

export interface AlertChannel {
  id: string;
  kind: string;
  target: string;
  createdAt: string;
}

export interface BreakGlassGrant {
  id: string;
  caseId: string;
  caseReference: string;
  accountId: string;
  role: string;
  reason: string | null;
  openedAt: string;
  expiresAt: string;
  verdict: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
}
