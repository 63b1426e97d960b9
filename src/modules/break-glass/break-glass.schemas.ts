import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';

/** A break-glass access just opened: the grant and when it ends. */
export const BreakGlassOpened = Type.Object({ id: Id, caseId: Id, expiresAt: Timestamp });

/** One break-glass access as the DPO reviews it. */
export const BreakGlassGrant = Type.Object({
  id: Id,
  caseId: Id,
  caseReference: Type.String(),
  accountId: Id,
  role: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  openedAt: Timestamp,
  expiresAt: Timestamp,
  verdict: Type.Union([Type.String(), Type.Null()]),
  reviewedBy: Type.Union([Id, Type.Null()]),
  reviewedAt: Type.Union([Timestamp, Type.Null()]),
});

export const BreakGlassGrantList = Type.Object({ items: Type.Array(BreakGlassGrant) });
