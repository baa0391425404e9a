import { describe, expect, it } from 'vitest';
import { dayEnd, dayNoon, dayStart, formatDay, isDay, localDay, utcDaySeconds } from './days';

// vitest runs in the machine's time zone: the checks below hold in any.
describe('calendar days', () => {
  it('knows real days', () => {
    expect(isDay('2026-03-31')).toBe(true);
    expect(isDay('2024-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '26-01-01', '2026-01-01T00:00:00Z', '', null, undefined]) expect(isDay(bad)).toBe(false);
  });

  it('turns a local day into the instants that bound it', () => {
    const start = new Date(dayStart('2026-03-31'));
    const end = new Date(dayEnd('2026-03-31'));
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2026, 2, 31, 0, 0]);
    expect([end.getDate(), end.getHours(), end.getMinutes(), end.getSeconds(), end.getMilliseconds()]).toEqual([31, 23, 59, 59, 999]);
    expect(dayStart('2026-03-31')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(new Date(dayNoon('2026-03-31')).getHours()).toBe(12);
    expect(() => dayStart('2026-02-30')).toThrow(RangeError);
  });

  it('gives the local day of a moment', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localDay(new Date(dayStart('2026-11-28')))).toBe('2026-11-28');
  });

  it('places UTC days on a chart and shows them the same everywhere', () => {
    expect(utcDaySeconds('1970-01-02')).toBe(86400);
    expect(utcDaySeconds('2026-02-01')).toBe(Date.UTC(2026, 1, 1) / 1000);
    expect(formatDay('2026-02-01', 'en-GB')).toBe('1 Feb 2026');
    expect(formatDay('2026-12-31', 'en-US')).toBe('Dec 31, 2026');
    expect(formatDay('not a day')).toBe('not a day');
    expect(() => utcDaySeconds('x')).toThrow(RangeError);
  });
});
