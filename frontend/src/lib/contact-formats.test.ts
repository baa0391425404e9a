import { describe, expect, it } from 'vitest';
import { completeWebsite, isPhone, isWebsite, phoneProblem, websiteProblem } from './contact-formats';

// The same cases as tests/unit/test_validate.c (validate-6.1, 6.2): the
// app and the API hold phone numbers and websites to one rule.
describe('phone numbers, as the API takes them', () => {
  it('accepts what people write', () => {
    for (const s of ['112', '+44 20 7946 0958', '+44 (0)20 7946 0958', '(555) 123-4567', '555.123.4567', '030/1234567', '+1 555 123 4567 ext. 89',
      '+1 555 123 4567 x89', '555-1234 Ext 12', '555-1234 extension 123456', '555 1234 #7', '+4930123456789012345', '0049 30 12345678']) {
      expect(isPhone(s), s).toBe(true);
    }
  });
  it('(twin) refuses what cannot be dialled', () => {
    for (const s of ['', 'abc', '12', '+', '++44 20 7946 0958', '+ 44 20', '1-800-FLOWERS', '555-1234 ext', '555-1234 ext 1234567', '555-1234 x12 x3',
      '(555 123-4567', '555) 123-4567', '((555)) 123', '555-1234-', '-555-1234', ' 555 1234', '555 1234 x', 'phone: 555 1234', '555_1234', '555\t1234',
      '+123456789012345678901', '44 20 7946 0958 or 0959']) {
      expect(isPhone(s), s).toBe(false);
    }
  });
  it('says why in the API\'s words', () => {
    expect(phoneProblem('')).toBeNull();
    expect(phoneProblem('+44 20 7946 0958')).toBeNull();
    expect(phoneProblem('abc')).toBe('Not a phone number (digits, optionally with a leading +, spaces, dots, dashes, slashes, parentheses and an extension such as "ext. 12"): "abc"');
  });
});

describe('websites, as the API takes them', () => {
  it('accepts http(s) URLs and refuses the rest', () => {
    for (const s of ['https://example.com', 'https://example.com/hook?x=1&y=%20#f', 'http://localhost:8080/', 'http://[::1]:8080/x']) expect(isWebsite(s), s).toBe(true);
    for (const s of ['', 'example.com', '//example.com', 'ftp://example.com', 'javascript:alert(1)', 'https://', 'https:///path', 'https://exa mple.com', 'https://?x=1', 'not a url']) {
      expect(isWebsite(s), s).toBe(false);
    }
  });
  it('completes a bare host with https://, and leaves the rest to the rule', () => {
    expect(completeWebsite(' acme.example ')).toBe('https://acme.example');
    expect(completeWebsite('www.acme.example/shop')).toBe('https://www.acme.example/shop');
    expect(completeWebsite('http://acme.example')).toBe('http://acme.example');
    expect(completeWebsite('not a url')).toBe('not a url');
    expect(completeWebsite('ftp://x.example')).toBe('ftp://x.example');
    expect(completeWebsite('')).toBe('');
  });
  it('says why in the API\'s words', () => {
    expect(websiteProblem('https://acme.example')).toBeNull();
    expect(websiteProblem('not a url')).toBe('Not an http(s) URL such as "https://example.com": "not a url"');
  });
});
