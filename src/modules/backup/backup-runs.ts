import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { appendAudit, systemActEntry } from '../audit/audit-log.js';
import {
  findLastSuccessfulBackup,
  insertBackupRun,
  listRecentBackupRuns,
} from './backup-run.repository.js';

export type BackupOutcome =
  | {
      readonly status: 'succeeded';
      readonly file: string;
      readonly bytes: number;
      readonly sha256: string;
    }
  | { readonly status: 'failed'; readonly failure: string };

/**
 * Records a scheduled backup. A failure also goes into the platform's audit chain, where the
 * backup-failed rule turns it into an alert for the operator (syslog), within seconds.
 */
export async function recordBackupRun(
  deps: Pick<AppDeps, 'db' | 'clock' | 'alerts'>,
  startedAt: Date,
  outcome: BackupOutcome,
): Promise<string> {
  const id = randomUUID();
  const finishedAt = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await insertBackupRun(trx, {
      id,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt,
      status: outcome.status,
      file: outcome.status === 'succeeded' ? outcome.file : null,
      size_bytes: outcome.status === 'succeeded' ? outcome.bytes : null,
      sha256: outcome.status === 'succeeded' ? outcome.sha256 : null,
      failure: outcome.status === 'failed' ? outcome.failure : null,
    });
    if (outcome.status === 'failed')
      await appendAudit(
        trx,
        systemActEntry({
          at: finishedAt,
          tenant: null,
          action: 'backup.failed',
          objectType: 'backup',
          objectId: id,
          outcome: 'failed',
        }),
      );
  });
  if (outcome.status === 'failed') deps.alerts.wake();
  return id;
}

/** When the last good backup finished, or null. */
export async function lastSuccessfulBackupAt(deps: Pick<AppDeps, 'db'>): Promise<Date | null> {
  const last = await findLastSuccessfulBackup(deps.db);
  return last ? new Date(last.finished_at) : null;
}

/** What the operator sees of the backups: the schedule, the last good one and its age, the latest runs. */
export async function backupStatus(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>) {
  const schedule = deps.config.backupSchedule;
  const last = await findLastSuccessfulBackup(deps.db);
  const runs = await listRecentBackupRuns(deps.db, 10);
  return {
    scheduled: schedule !== null,
    intervalSeconds: schedule?.intervalSeconds ?? null,
    keep: schedule?.keep ?? null,
    lastSuccess: last
      ? {
          finishedAt: last.finished_at,
          ageSeconds: Math.max(
            0,
            Math.round((deps.clock.now().getTime() - new Date(last.finished_at).getTime()) / 1000),
          ),
          file: last.file ?? '',
          bytes: last.size_bytes ?? 0,
          sha256: last.sha256 ?? '',
        }
      : null,
    recent: runs.map((r) => ({
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status,
      file: r.file,
      bytes: r.size_bytes,
      failure: r.failure,
    })),
  };
}
