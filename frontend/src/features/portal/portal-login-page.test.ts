import { describe, expect, it } from 'vitest';
import { validatePortalLogin } from './portal-login-page';

describe('portal login validation', () => {
  it('asks for both fields', () => {
    expect(validatePortalLogin('', '')).toEqual({ email: 'Enter your email address', password: 'Enter your password' });
  });
  it('rejects what is not an email address', () => {
    expect(validatePortalLogin('ann', 'x').email).toMatch(/email address like/);
    expect(validatePortalLogin('ann@host', 'x').email).toMatch(/email address like/);
  });
  it('accepts a plausible address and a password', () => {
    expect(validatePortalLogin(' ann@example.com ', 'secret')).toEqual({});
  });
});
