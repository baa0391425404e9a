// The website and phone rules of clients and contacts, the same as the
// API's (api/src/core/validate.c: validate_url, validate_phone), so that a
// form says what is wrong before it sends anything. The API stays the
// judge: its 422 lands under the same input with the same words.

/**
 * An http(s) URL: the scheme, then a host (not "/", "?", "#" or "@"
 * first), no spaces or control characters, at most 2000 characters.
 */
export function isWebsite(s: string): boolean {
  const m = /^https?:\/\//i.exec(s);
  if (!m) return false;
  const rest = s.slice(m[0].length);
  if (rest === '' || '/?#@'.includes(rest.charAt(0)) || s.length > 2000) return false;
  return !/[\u0000-\u0020\u007f]/.test(rest);
}

/**
 * What a person typed as a website, completed: "acme.example" is
 * "https://acme.example" (a host without a scheme); anything else stays as
 * typed, for the rule to judge.
 */
export function completeWebsite(s: string): string {
  const t = s.trim();
  if (t === '' || /^[a-z][a-z0-9+.-]*:/i.test(t)) return t;
  return /^[^\s/?#@]+\.[^\s/?#@]+(\/\S*)?$/.test(t) ? `https://${t}` : t;
}

const EXTENSION = /^(extension|ext\.|ext|x|#)/i;

/**
 * A phone number as people write one: an optional "+", then 3 to 20
 * digits with spaces, dots, dashes, slashes and parentheses between them
 * (parentheses in pairs, not nested; it starts with a digit or "(" and
 * ends with a digit or ")"), then optionally an extension: "x", "ext",
 * "ext.", "extension" or "#" and 1 to 6 digits.
 */
export function isPhone(s: string): boolean {
  let i = s.startsWith('+') ? 1 : 0;
  if (!/[0-9(]/.test(s.charAt(i))) return false;
  let digits = 0;
  let open = false;
  let sig = '';
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (c >= '0' && c <= '9') digits++;
    else if (c === '(' && !open) open = true;
    else if (c === ')' && open) open = false;
    else if (c !== ' ' && c !== '.' && c !== '-' && c !== '/') break;
    if (c !== ' ') sig = c;
  }
  if (open || digits < 3 || digits > 20 || !/[0-9)]/.test(sig)) return false;
  if (i === s.length) return true;
  const ext = EXTENSION.exec(s.slice(i));
  if (!ext) return false;
  return /^ *[0-9]{1,6}$/.test(s.slice(i + ext[0].length));
}

/** The API's message for a website it refuses (as a form shows it), or null when it is fine. */
export function websiteProblem(s: string): string | null {
  if (s === '' || isWebsite(s)) return null;
  if (s.length > 255) return 'Is longer than 255 characters';
  return `Not an http(s) URL such as "https://example.com": "${s}"`;
}

/** The API's message for a phone number it refuses (as a form shows it), or null when it is fine. */
export function phoneProblem(s: string): string | null {
  if (s === '' || isPhone(s)) return null;
  if (s.length > 64) return 'Is longer than 64 characters';
  return `Not a phone number (digits, optionally with a leading +, spaces, dots, dashes, slashes, parentheses and an extension such as "ext. 12"): "${s}"`;
}
