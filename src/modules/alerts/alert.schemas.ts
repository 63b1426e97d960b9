import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';

/** One alert of the inbox: the rule that raised it, its subject, and the events behind it. */
export const AlertItem = Type.Object({
  id: Id,
  rule: Type.String(),
  title: Type.String(),
  severity: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  count: Type.Integer(),
  firstAt: Timestamp,
  lastAt: Timestamp,
  evidence: Type.Array(Type.Integer()),
});

export const AlertList = Type.Object({ items: Type.Array(AlertItem) });
