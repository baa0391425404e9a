// Money as the API sends it: exact decimal strings ("1250.50", "-40.00").
// Nothing here goes through a JavaScript number: amounts are split into
// digits, compared and added as scaled BigInts, and formatted by giving
// Intl a BigInt for the integer part and the exact fraction digits.
// (The chart is the one place that plots numbers; see ledger-series.ts.)

/** A decimal split into its parts: "-1250.50" is {negative, int: "1250", frac: "50"}. */
export interface Decimal {
  negative: boolean;
  int: string;
  frac: string;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** The parts of an API decimal string; null for anything else. */
export function parseDecimal(value: string): Decimal | null {
  const m = DECIMAL.exec(value);
  if (!m) return null;
  return { negative: m[1] === '-', int: m[2]!, frac: m[3] ?? '' };
}

function isZero(d: Decimal): boolean {
  return /^0*$/.test(d.int) && /^0*$/.test(d.frac);
}

/** The decimal times 10^scale, as a BigInt (scale >= its fraction digits). */
function scaled(d: Decimal, scale: number): bigint {
  const n = BigInt(d.int + d.frac.padEnd(scale, '0'));
  return d.negative ? -n : n;
}

function unscaled(n: bigint, scale: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

function both(a: string, b: string): [Decimal, Decimal, number] {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) throw new RangeError(`not a decimal: "${x ? b : a}"`);
  return [x, y, Math.max(x.frac.length, y.frac.length)];
}

/** -1, 0 or 1, exactly ("10.5" > "10.49"); throws on a non-decimal. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [x, y, scale] = both(a, b);
  const d = scaled(x, scale) - scaled(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** a + b, exactly, with the larger number of decimals ("310.50" + "-40" = "270.50"). */
export function addDecimal(a: string, b: string): string {
  const [x, y, scale] = both(a, b);
  return unscaled(scaled(x, scale) + scaled(y, scale), scale);
}

/** True for zero written any way ("0", "-0.00"); false for other amounts and junk. */
export function isZeroAmount(value: string): boolean {
  const d = parseDecimal(value);
  return d !== null && isZero(d);
}

export interface MoneyFormat {
  locale?: string | undefined;
  /** "+$40.00" for positive amounts (changes rather than totals) */
  signed?: boolean;
}

const formats = new Map<string, Intl.NumberFormat | null>();

function currencyFormat(currency: string, digits: number, f: MoneyFormat): Intl.NumberFormat | null {
  const key = `${f.locale ?? ''}|${currency}|${digits}|${f.signed ? 1 : 0}`;
  if (!formats.has(key)) {
    let nf: Intl.NumberFormat | null = null;
    try {
      nf = new Intl.NumberFormat(f.locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        signDisplay: f.signed ? 'exceptZero' : 'auto',
      });
    } catch {
      nf = null; // not a currency Intl knows, or a bad locale
    }
    formats.set(key, nf);
  }
  return formats.get(key) ?? null;
}

/**
 * "1250.50" in USD is "$1,250.50" (en) or "1.250,50 $" (de): the locale's
 * symbol, grouping and signs around exactly the digits given (the API
 * already sends the currency's decimals). Empty shows an en dash; a value
 * that is not a decimal is shown as it came; an unknown currency code is
 * written after the number.
 */
export function formatCurrency(value: string | null | undefined, currency: string, f: MoneyFormat = {}): string {
  if (value === null || value === undefined || value === '') return '–';
  const d = parseDecimal(value);
  if (!d) return value;
  if (d.frac.length > 20) return `${value} ${currency}`;
  const nf = currencyFormat(currency, d.frac.length, f);
  if (!nf) return `${f.signed && !d.negative && !isZero(d) ? '+' : ''}${value} ${currency}`;
  // Intl formats a BigInt exactly; its fraction digits are then ours. An
  // integer part of 0 stands in as 1 so that the sign survives ("-0.50").
  const zero = isZero(d);
  const intZero = /^0+$/.test(d.int);
  const magnitude = zero ? 0n : intZero ? 1n : BigInt(d.int);
  const parts = nf.formatToParts(d.negative && !zero ? -magnitude : magnitude);
  return parts
    .map((p) => {
      if (p.type === 'fraction') return d.frac;
      if (p.type === 'integer' && intZero && !zero) return '0';
      return p.value;
    })
    .join('');
}

/** The minor-unit places of a currency as Intl knows them (JPY 0, USD 2, BHD 3); 2 when unknown. */
export function currencyPlaces(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * A decimal with at most `places` fraction digits, rounded exactly (half
 * away from zero, as PostgreSQL rounds numeric): "-25.000000" with 0 is
 * "-25", "1.005" with 2 is "1.01". A value with fewer places, or not a
 * decimal, is returned as it is.
 */
export function roundDecimal(value: string, places: number): string {
  const d = parseDecimal(value);
  if (!d || d.frac.length <= places) return value;
  const keep = BigInt(d.int + d.frac.slice(0, places));
  const up = Number(d.frac.charAt(places)) >= 5 ? 1n : 0n;
  const n = keep + up;
  const out = unscaled(d.negative && n !== 0n ? -n : n, places);
  return out;
}

/**
 * Money shown in its currency with the currency's places, whatever places
 * the value came with (old events carry six): "0.000000" in JPY is "¥0".
 */
export function formatMoney(value: string | null | undefined, currency: string, f: MoneyFormat = {}): string {
  if (typeof value !== 'string') return formatCurrency(value, currency, f);
  return formatCurrency(roundDecimal(value, currencyPlaces(currency)), currency, f);
}

/** The locale's decimal separator: "." or ",". */
export function decimalSeparator(locale?: string): string {
  try {
    return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  } catch {
    return '.';
  }
}

export type AmountProblem = 'empty' | 'negative' | 'format' | 'zero' | 'too_large' | 'too_precise';
export type AmountResult = { ok: true; value: string } | { ok: false; problem: AmountProblem };

/** The API takes at most 14 integer digits and 6 decimals (the currency may allow fewer: the API says so). */
const MAX_INT_DIGITS = 14;
const MAX_DECIMALS = 6;

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

/**
 * Which of "." and "," is the decimal point of what was typed: both
 * present, the last one; one of them once, that one, unless it is the
 * locale's grouping separator followed by three digits ("1,250" in
 * English); repeated, neither (grouping).
 */
function decimalPointOf(s: string, localeDecimal: string): string | null {
  const dots = count(s, '.');
  const commas = count(s, ',');
  if (dots > 0 && commas > 0) return s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
  if (dots + commas !== 1) return null;
  const c = dots === 1 ? '.' : ',';
  const at = s.indexOf(c);
  return c !== localeDecimal && at > 0 && s.length - at - 1 === 3 ? null : c;
}

function splitTyped(s: string, localeDecimal: string): { int: string; frac: string } | null {
  const point = decimalPointOf(s, localeDecimal);
  if (point !== null && count(s, point) > 1) return null;
  const [intRaw = '', frac = ''] = point === null ? [s] : s.split(point);
  const group = point === '.' ? ',' : point === ',' ? '.' : s.includes('.') ? '.' : ',';
  let int = intRaw;
  if (int.includes(group)) {
    if (!new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(int)) return null;
    int = int.split(group).join('');
  }
  if (!/^\d*$/.test(int) || !/^\d*$/.test(frac) || (int === '' && frac === '')) return null;
  return { int, frac };
}

/**
 * What a person typed into an amount field, as an API decimal without a
 * sign: "1,250.5" is "1250.5", "1.250,5" too in a locale whose decimal
 * point is a comma; spaces are ignored. A sign is refused (the form
 * decides the direction), and so are zero and what the API could never
 * take; the currency's own decimals are the API's to check.
 */
export function parseAmountInput(text: string, localeDecimal = '.'): AmountResult {
  const s = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return { ok: false, problem: 'empty' };
  if (/^[-\u2212]/.test(s)) return { ok: false, problem: 'negative' };
  const parts = splitTyped(s.replace(/^\+/, ''), localeDecimal);
  if (!parts) return { ok: false, problem: 'format' };
  const int = parts.int.replace(/^0+(?=\d)/, '') || '0';
  if (int.length > MAX_INT_DIGITS) return { ok: false, problem: 'too_large' };
  if (parts.frac.length > MAX_DECIMALS) return { ok: false, problem: 'too_precise' };
  if (/^0+$/.test(int) && /^0*$/.test(parts.frac)) return { ok: false, problem: 'zero' };
  return { ok: true, value: parts.frac === '' ? int : `${int}.${parts.frac}` };
}

/** "40.00" with sign -1 is "-40.00"; a value that already has a sign keeps its size. */
export function withSign(value: string, sign: 1 | -1): string {
  const abs = value.replace(/^[-+]/, '');
  return sign < 0 ? `-${abs}` : abs;
}

/**
 * An axis label for a plotted amount: "$1.3K". Rounded, so for reading a
 * chart only, never for an amount someone acts on.
 */
export function formatAxisMoney(value: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(value);
  } catch {
    return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  }
}
