// Display formats. Times arrive as RFC 3339 UTC and are shown in the
// browser's locale and time zone; money (exact decimal strings, no float on
// the way) is formatted in lib/money.ts.

/** True for a negative amount ("-12.00"). */
export function isNegative(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim().startsWith('-');
}

export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "just now". */
export function formatRelative(iso: string, now: Date = new Date(), locale?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const secs = Math.round((d.getTime() - now.getTime()) / 1000);
  if (Math.abs(secs) < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size || unit === 'minute') return rtf.format(Math.round(secs / size), unit);
  }
  return rtf.format(secs, 'second');
}

/** "Ann Lee", else the email, else "". */
export function personName(p: { first_name?: string; last_name?: string; email?: string } | null | undefined): string {
  if (!p) return '';
  const n = [p.first_name ?? '', p.last_name ?? ''].map((s) => s.trim()).filter(Boolean).join(' ');
  return n || (p.email ?? '');
}

/** Up to two letters for an avatar. */
export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}\s@.]/gu, ' ').trim().split(/[\s@.]+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0]!.charAt(0);
  const second = words.length > 1 ? words[1]!.charAt(0) : words[0]!.charAt(1);
  return (first + second).toUpperCase();
}

/** A website shown without its scheme, linked with one. */
export function websiteHref(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
}

export function websiteLabel(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

/** A file's size as people read it: "512 B", "3.4 KB", "12 MB". */
export function formatFileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** A short word for a media type, for a file's type badge: "PDF", "Image", "Text". */
export function fileKind(contentType: string): string {
  const t = contentType.toLowerCase();
  if (t === 'application/pdf') return 'PDF';
  if (t.startsWith('image/')) return 'Image';
  if (t.startsWith('text/') || t === 'application/json') return 'Text';
  if (t.startsWith('audio/')) return 'Audio';
  if (t.startsWith('video/')) return 'Video';
  if (/zip|gzip|x-tar|x-7z|compressed/.test(t)) return 'Archive';
  if (/spreadsheet|excel|csv/.test(t)) return 'Sheet';
  if (/word|opendocument\.text|rtf/.test(t)) return 'Doc';
  return 'File';
}

/** Whether the browser may preview it (the API serves only these inline). */
export function previewable(contentType: string, sniffedType: string): boolean {
  return contentType === sniffedType && ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'].includes(contentType);
}
