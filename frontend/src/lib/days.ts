// Calendar days ("2026-03-31") as people pick them in date inputs and as
// the URL keeps them. A day is the browser's local day; the API gets
// exact instants (its own "day" parameters are days in the client's time
// zone setting, which need not be the browser's).

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return [y, mo, d];
}

/** A real calendar day written YYYY-MM-DD ("2026-02-30" is not one). */
export function isDay(s: string | null | undefined): s is string {
  return typeof s === 'string' && parts(s) !== null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local day of a moment, YYYY-MM-DD. */
export function localDay(t: Date = new Date()): string {
  return `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

function local(day: string, hours: number, ms = 0): Date {
  const p = parts(day);
  if (!p) throw new RangeError(`not a day: "${day}"`);
  return new Date(p[0], p[1] - 1, p[2], hours, 0, 0, ms);
}

/** The first instant of a local day, in RFC 3339 UTC. */
export function dayStart(day: string): string {
  return local(day, 0).toISOString();
}

/** The last millisecond of a local day, in RFC 3339 UTC. */
export function dayEnd(day: string): string {
  return new Date(local(day, 24).getTime() - 1).toISOString();
}

/** Noon of a local day: the moment that stands for "on that day". */
export function dayNoon(day: string): string {
  return local(day, 12).toISOString();
}

/** Seconds since 1970 at the start of a UTC day (a chart's x value). */
export function utcDaySeconds(day: string): number {
  const p = parts(day);
  if (!p) throw new RangeError(`not a day: "${day}"`);
  return Date.UTC(p[0], p[1] - 1, p[2]) / 1000;
}

/** "31 Mar 2026" for "2026-03-31", the same day in every time zone. */
export function formatDay(day: string, locale?: string): string {
  const p = parts(day);
  if (!p) return day;
  return new Date(Date.UTC(p[0], p[1] - 1, p[2])).toLocaleDateString(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
}
