/** A tenant's working hours: local days and times in its time zone. */
export interface WorkingHours {
  /** IANA time zone, e.g. Europe/Paris. */
  readonly timeZone: string;
  /** ISO week days, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** HH:MM, local; the end is excluded. */
  readonly start: string;
  readonly end: string;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  timeZone: 'Europe/Paris',
  days: [1, 2, 3, 4, 5],
  start: '07:00',
  end: '20:00',
};

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a formatter costs far more than using one; the detector asks once per event.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar day, week day and minute of the day of an instant in a time zone. */
function localTime(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when the instant falls on a working day, between start (included) and end (excluded). */
export function isWithinWorkingHours(at: Date, hours: WorkingHours): boolean {
  const local = localTime(at, hours.timeZone);
  return (
    hours.days.includes(local.weekday) &&
    local.minute >= minutesOf(hours.start) &&
    local.minute < minutesOf(hours.end)
  );
}

/** YYYY-MM-DD of the instant in the time zone: "one alert per day" means the tenant's day. */
export function localDay(at: Date, timeZone: string): string {
  return localTime(at, timeZone).day;
}

/** True when the runtime knows the time zone (an unknown one would throw on every event). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}
