import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Timestamp } from '../common.schemas.js';
import { backupStatus } from './backup-runs.js';

const Run = Type.Object({
  startedAt: Timestamp,
  finishedAt: Timestamp,
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  file: Type.Union([Type.String(), Type.Null()]),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  failure: Type.Union([Type.String(), Type.Null()]),
});

const BackupStatus = Type.Object({
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
  recent: Type.Array(Run),
});

export const backupStatusRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/platform/backups',
    summary:
      'Scheduled backups: the schedule, the last good backup and its age, the latest runs (operator)',
    tags: ['platform'],
    policy: { action: 'backup.read' },
    response: BackupStatus,
    handler: async ({ deps }) => backupStatus(deps),
  }),
];
