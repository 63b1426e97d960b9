import { defineRoute } from '../../http/route.js';
import { backupStatus } from './backup-runs.js';
import { BackupStatus } from './backup-status.schemas.js';

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
