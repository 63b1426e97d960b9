/** Time source, injectable so tests can move it (dormant accounts, deadlines, retention). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Today's date (UTC) as YYYY-MM-DD, the format mandates and deadlines are stored in. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
