import { describe, expect, it } from 'vitest';
import { safeNext } from './login-page';

describe('where to go after signing in', () => {
  it('goes back to the page the user was sent away from', () => {
    expect(safeNext('/clients/abc?tab=x')).toBe('/clients/abc?tab=x');
  });
  it('never leaves the app', () => {
    expect(safeNext('https://evil.example/')).toBe('/clients');
    expect(safeNext('//evil.example/')).toBe('/clients');
    expect(safeNext('/api/v1/me')).toBe('/clients');
    expect(safeNext('/login?next=/x')).toBe('/clients');
    expect(safeNext(undefined)).toBe('/clients');
  });
});
