import path from 'node:path';

/** Scheduled backups: where, to whom, how often, how many kept. */
export interface BackupSchedule {
  /** CLOISON_BACKUP_DIR: where the server writes its backups. */
  readonly dir: string;
  readonly keep: number;
  readonly intervalSeconds: number;
}

/** An age recipient as age-keygen prints it (X25519 `age1…`, or the hybrid `age1pq1…`). */
const RECIPIENT = /^age1[02-9ac-hj-np-z]{50,}$/;

type Env = Record<string, string | undefined>;

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * CLOISON_BACKUP_RECIPIENT (also the default of `cloison backup`), and the schedule when
 * CLOISON_BACKUP_DIR is set. A backup directory inside the data directory is refused: a copy of
 * the data would then carry its own earlier copies, and a restore needs an empty directory.
 */
export function parseBackupSettings(
  env: Env,
  dataDir: string,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): { recipient: string | null; schedule: BackupSchedule | null } {
  const rawRecipient = env.CLOISON_BACKUP_RECIPIENT ?? '';
  let recipient: string | null = null;
  if (rawRecipient !== '') {
    if (RECIPIENT.test(rawRecipient)) recipient = rawRecipient;
    // The public half only, but say what was expected rather than echo a pasted secret key.
    else
      problems.push('CLOISON_BACKUP_RECIPIENT must be an age recipient (age1…, from age-keygen)');
  }
  const keep = int('CLOISON_BACKUP_KEEP', 14, 1, 3650);
  const intervalSeconds = int('CLOISON_BACKUP_INTERVAL_SECONDS', 86_400, 1, 31 * 86_400);
  const rawDir = env.CLOISON_BACKUP_DIR ?? '';
  if (rawDir === '') return { recipient, schedule: null };
  const dir = path.resolve(rawDir);
  if (isInside(dir, dataDir) || isInside(dataDir, dir))
    problems.push('CLOISON_BACKUP_DIR must be outside the data directory (and not contain it)');
  if (rawRecipient === '')
    problems.push('CLOISON_BACKUP_DIR needs CLOISON_BACKUP_RECIPIENT: backups are encrypted to it');
  return { recipient, schedule: Object.freeze({ dir, keep, intervalSeconds }) };
}
