import { Type } from '@sinclair/typebox';
import { Id } from '../common.schemas.js';

/** The answer to a disable request: done now, or waiting for a second admin. */
export const DisableOutcome = Type.Object({
  accountId: Id,
  /** disabled: done now (an ordinary agent); pending: another admin must approve (admin, DPO). */
  status: Type.Union([Type.Literal('disabled'), Type.Literal('pending')]),
  requestId: Type.Union([Id, Type.Null()]),
});
