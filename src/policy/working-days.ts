/**
 * French public holidays and working days, for deadlines that fall on a day the usager cannot
 * act: a time limit that would end on a Saturday, a Sunday or a public holiday runs to the next
 * working day (code de procédure civile, art. 642, applied to administrative time limits).
 * Computed in UTC calendar days, so the answer never depends on the server's time zone.
 */

const DAY_MS = 86_400_000;

function utc(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return format(new Date(Date.UTC(year, month - 1, day)));
}

/** The eleven public holidays of metropolitan France in a year (code du travail, L. 3133-1). */
export function publicHolidays(year: number): readonly string[] {
  const easter = utc(easterSunday(year)).getTime();
  const afterEaster = (days: number) => format(new Date(easter + days * DAY_MS));
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'];
  return [
    ...fixed.map((md) => `${year}-${md}`),
    afterEaster(1), // lundi de Pâques
    afterEaster(39), // Ascension
    afterEaster(50), // lundi de Pentecôte
  ].sort();
}

/** Whether the usager can act on that day: neither a weekend nor a public holiday. */
export function isWorkingDay(day: string): boolean {
  const date = utc(day);
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(date.getUTCFullYear()).includes(day);
}

/** The day itself when one can act on it, else the next day one can. */
export function nextWorkingDay(day: string): string {
  let date = utc(day);
  while (!isWorkingDay(format(date))) date = new Date(date.getTime() + DAY_MS);
  return format(date);
}
