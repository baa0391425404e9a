// Suggestions for the free-text setting inputs (a <datalist>): currencies
// and time zones as the browser knows them, and common language tags. The
// input still takes any value; the API has the final word.

export interface Choice {
  value: string;
  label: string;
}

const LANGUAGES = `en en-GB en-US de de-AT de-CH fr fr-CA fr-CH es es-MX it nl pt pt-BR sv da nb fi is
  pl cs sk sl hr hu ro bg el tr ru uk et lv lt ja ko zh-Hans zh-Hant ar he hi th vi id ms`.split(/\s+/);

function supported(kind: 'currency' | 'timeZone'): string[] {
  const intl = Intl as { supportedValuesOf?: (k: string) => string[] };
  try {
    return typeof intl.supportedValuesOf === 'function' ? intl.supportedValuesOf(kind) : [];
  } catch {
    return [];
  }
}

function named(codes: string[], type: 'currency' | 'language', locale?: string): Choice[] {
  let dn: Intl.DisplayNames | null = null;
  try {
    dn = new Intl.DisplayNames(locale ? [locale] : undefined, { type });
  } catch {
    dn = null;
  }
  return codes.map((value) => {
    let name: string | undefined;
    try {
      name = dn?.of(value);
    } catch {
      name = undefined;
    }
    return { value, label: name && name !== value ? name : '' };
  });
}

const cache = new Map<string, Choice[]>();

function cached(key: string, make: () => Choice[]): Choice[] {
  let c = cache.get(key);
  if (!c) {
    c = make();
    cache.set(key, c);
  }
  return c;
}

export function currencyChoices(locale?: string): Choice[] {
  return cached(`currency:${locale ?? ''}`, () => named(supported('currency'), 'currency', locale));
}

export function timeZoneChoices(): Choice[] {
  return cached('tz', () => {
    const zones = supported('timeZone');
    return (zones.includes('UTC') ? zones : ['UTC', ...zones]).map((value) => ({ value, label: '' }));
  });
}

export function languageChoices(locale?: string): Choice[] {
  return cached(`language:${locale ?? ''}`, () => named(LANGUAGES, 'language', locale));
}
