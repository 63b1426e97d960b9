import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  appealDeadline,
  instructionDeadline,
  isPast,
  lapseReminderDay,
  renewalReminderDay,
  withinAppealWindow,
} from './case-deadlines.js';

describe('case deadlines', () => {
  it('counts months on the calendar, ending on the last day of a shorter month', () => {
    expect(addMonths('2026-01-15', 2)).toBe('2026-03-15');
    expect(addMonths('2026-10-31', 4)).toBe('2027-02-28');
    expect(addMonths('2027-10-31', 4)).toBe('2028-02-29');
    expect(addMonths('2026-12-31', 2)).toBe('2027-02-28');
    expect(addMonths('2027-06-30', -6)).toBe('2026-12-30');
    expect(addDays('2026-03-01', -7)).toBe('2026-02-22');
  });

  it('gives the instruction, appeal, reminder and renewal days of PRODUCT.md', () => {
    expect(instructionDeadline('2026-05-10')).toBe('2026-09-10');
    expect(appealDeadline('2026-05-10')).toBe('2026-07-10');
    expect(lapseReminderDay('2026-05-10')).toBe('2026-05-03');
    expect(renewalReminderDay('2028-12-31', 6)).toBe('2028-06-30');
  });

  it('keeps the deadline day itself in time and refuses the day after', () => {
    expect(withinAppealWindow('2026-05-10', '2026-07-10')).toBe(true);
    expect(withinAppealWindow('2026-05-10', '2026-07-11')).toBe(false);
    // Two months from 14 May end on the fête nationale: the usager has until the 15th.
    expect(appealDeadline('2026-05-14')).toBe('2026-07-15');
    expect(withinAppealWindow('2026-05-14', '2026-07-15')).toBe(true);
    expect(withinAppealWindow('2026-05-14', '2026-07-16')).toBe(false);
    // Ending on a Saturday, it runs to the Monday.
    expect(appealDeadline('2026-05-11')).toBe('2026-07-13');
    expect(isPast('2026-07-10', '2026-07-10')).toBe(false);
    expect(isPast('2026-07-10', '2026-07-11')).toBe(true);
    expect(isPast(null, '2026-07-11')).toBe(false);
  });

  it('moves forward by whole calendar months, never past the day of the month it started on', () => {
    const day = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 24 }), (start, months) => {
        const end = addMonths(start, months);
        expect(end > start).toBe(true);
        expect(Number(end.slice(8))).toBeLessThanOrEqual(Number(start.slice(8)));
        const spanDays = (Date.parse(end) - Date.parse(start)) / 86_400_000;
        expect(spanDays).toBeGreaterThanOrEqual(months * 28 - 3);
        expect(spanDays).toBeLessThanOrEqual(months * 31);
      }),
    );
  });
});
