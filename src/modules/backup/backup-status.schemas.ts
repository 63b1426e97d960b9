import { Type } from '@sinclair/typebox';
import { Timestamp } from '../common.schemas.js';

/** One scheduled backup run, good or failed. */
export const BackupRun = Type.Object({
  startedAt: Timestamp,
  finishedAt: Timestamp,
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  file: Type.Union([Type.String(), Type.Null()]),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  failure: Type.Union([Type.String(), Type.Null()]),
});

/** What the operator sees of the backups: the schedule, the last good one and its age, the runs. */
export const BackupStatus = Type.Object({
  scheduled: Type.Boolean(),
  intervalSeconds: Type.Union([Type.Integer(), Type.Null()]),
  keep: Type.Union([Type.Integer(), Type.Null()]),
  lastSuccess: Type.Union([
    Type.Object({
      finishedAt: Timestamp,
      ageSeconds: Type.Integer(),
      file: Type.String(),
      bytes: Type.Integer(),
      sha256: Type.String(),
    }),
    Type.Null(),
  ]),
  recent: Type.Array(BackupRun),
});
