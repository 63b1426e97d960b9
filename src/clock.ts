/** Time source, injectable so tests can move it (dormant accounts, deadlines, retention). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The system clock moved by a fixed offset: "91 days later", for tests and demos only. */
export function shiftedClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : { now: () => new Date(Date.now() + offsetMs) };
}

/** Today's date (UTC) as YYYY-MM-DD, the format mandates and deadlines are stored in. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
