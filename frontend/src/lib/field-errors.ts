// Field errors of a 422 are keyed by the API's field paths: "name",
// "address.country", "contacts[1].email". Forms need them per section and
// per row; what maps onto no input goes to the form's error summary.

export type FieldErrors = Record<string, string>;

/** {"address.country": m} with prefix "address" gives {country: m}. */
export function prefixed(errors: FieldErrors, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  const p = `${prefix}.`;
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(p)) out[k.slice(p.length)] = v;
  return out;
}

/**
 * {"contacts[1].email": m, "contacts[0]": n} with name "contacts" gives
 * {1: {email: m}, 0: {"": n}} (an error on the element itself has key "").
 */
export function indexed(errors: FieldErrors, name: string): Record<number, FieldErrors> {
  const out: Record<number, FieldErrors> = {};
  const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\[(\\d+)\\](?:\\.(.+))?$`);
  for (const [k, v] of Object.entries(errors)) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    (out[i] ??= {})[m[2] ?? ''] = v;
  }
  return out;
}

/** The errors whose field no input shows. */
export function unplaced(errors: FieldErrors, placed: (field: string) => boolean): [string, string][] {
  return Object.entries(errors).filter(([k]) => !placed(k));
}

/** "contacts[1].email" → "Contact 2 · Email"; "address.postal_code" → "Billing address · Postal code". */
export function fieldLabel(path: string, labels: Record<string, string> = {}): string {
  if (labels[path]) return labels[path]!;
  const parts = path.split('.');
  return parts
    .map((p) => {
      const m = /^(\w+)\[(\d+)\]$/.exec(p);
      if (m) return `${labels[m[1]!] ?? humanise(m[1]!.replace(/s$/, ''))} ${Number(m[2]) + 1}`;
      return labels[p] ?? humanise(p);
    })
    .join(' · ');
}

export function humanise(key: string): string {
  const s = key.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
