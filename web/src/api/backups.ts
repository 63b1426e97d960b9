/** The platform's scheduled backups, for the operator (src/modules/backup). */
import type { Static } from '@sinclair/typebox';
import type {
  BackupRun as BackupRunSchema,
  BackupStatus as BackupStatusSchema,
} from '../../../src/modules/backup/backup-status.schemas';
import { api } from './client';

/** The schedule, the last good backup and its age, the latest runs. */
export type BackupStatus = Static<typeof BackupStatusSchema>;

/** One scheduled run, good or failed. */
export type BackupRun = Static<typeof BackupRunSchema>;

/** Where the platform's backups stand (operator). */
export const getBackupStatus = () => api.get<BackupStatus>('/api/v1/platform/backups');
