import { Type } from '@sinclair/typebox';

/** Object ids are random UUIDs: never sequential, never guessable. */
export const Id = Type.String({ format: 'uuid', maxLength: 36 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Day = Type.String({ format: 'date', maxLength: 10 });

export const CaseParams = Type.Object({ caseId: Id }, { additionalProperties: false });
