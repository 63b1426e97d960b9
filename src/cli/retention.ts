import type { Config } from '../config.js';
import { databaseExists, openDatabaseReadOnly } from '../db/database.js';
import { scheduleOfCode } from '../modules/retention/retention.service.js';

export const RETENTION_USAGE = `  retention show --tenant CODE [--json]
                   the département's live retention schedule: each kind of data, the event its
                   clock starts from, days in the active base, days archived, who set them, why
`;

const USAGE_ERROR = 64;

const years = (days: number) =>
  days === 0 ? '0' : days % 365 === 0 ? `${days / 365} an(s)` : `${days} j`;

/** The retention command: reads the database only (beside a running server too). */
export async function runRetention(
  config: Config,
  args: { sub: string | undefined; tenant: string | undefined; json: boolean },
): Promise<number> {
  if (args.sub !== 'show' || !args.tenant) {
    console.error(`retention show --tenant CODE\n\n${RETENTION_USAGE}`);
    return USAGE_ERROR;
  }
  if (!databaseExists(config)) {
    console.error('no database in this data directory');
    return 1;
  }
  const db = openDatabaseReadOnly(config);
  try {
    const schedule = await scheduleOfCode({ db, config }, args.tenant);
    if (!schedule) {
      console.error(`no département ${args.tenant}`);
      return 1;
    }
    if (args.json) {
      console.log(JSON.stringify(schedule, null, 2));
      return 0;
    }
    console.log(`${schedule.tenant.name} (${schedule.tenant.code})`);
    for (const r of schedule.rules) {
      const kept = r.kept
        ? `active ${years(r.activeDays)}, archived ${years(r.archiveDays)}, then purged`
        : 'nothing kept';
      console.log(`${r.kind.padEnd(20)} ${kept}  [${r.setBy}]  from ${r.startsFrom}`);
    }
    return 0;
  } finally {
    await db.destroy();
  }
}
