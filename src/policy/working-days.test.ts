import { describe, expect, it } from 'vitest';
import { easterSunday, isWorkingDay, nextWorkingDay, publicHolidays } from './working-days.js';

describe('French working days', () => {
  it('finds Easter Sunday as the calendars print it', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('lists the eleven public holidays, movable ones included', () => {
    expect(publicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('runs a deadline on a weekend or a holiday to the next working day', () => {
    expect(isWorkingDay('2026-07-10')).toBe(true); // a Friday
    expect(nextWorkingDay('2026-07-10')).toBe('2026-07-10');
    expect(nextWorkingDay('2026-07-11')).toBe('2026-07-13'); // Saturday → Monday
    expect(nextWorkingDay('2026-07-14')).toBe('2026-07-15'); // fête nationale, a Tuesday
    expect(nextWorkingDay('2026-05-23')).toBe('2026-05-26'); // Saturday, Sunday, Whit Monday
    expect(nextWorkingDay('2026-12-25')).toBe('2026-12-28'); // Christmas on a Friday
    expect(nextWorkingDay('2028-12-30')).toBe('2029-01-02'); // a Saturday, across the year and 1 January
  });
});
