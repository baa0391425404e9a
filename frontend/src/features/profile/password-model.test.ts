import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-model';

describe('the password form (issue 11)', () => {
  it('takes a new password the API takes, typed twice', () => {
    expect(passwordProblems({ current: 'old secret', next: 'a new passphrase', again: 'a new passphrase' })).toEqual({});
    expect(passwordProblems({ current: 'x', next: 'éééééééé', again: 'éééééééé' })).toEqual({});
  });
  it('(twin) says what is missing or wrong, in the API\'s words where it has them', () => {
    expect(passwordProblems({ current: '', next: '', again: '' })).toEqual({ current: 'Enter your current password', next: 'Enter a new password' });
    expect(passwordProblems({ current: 'a', next: 'short', again: 'short' }).next).toBe('Password must have at least 8 characters');
    expect(passwordProblems({ current: 'a', next: '         ', again: '         ' }).next).toBe('Password must have at least 8 characters');
    expect(passwordProblems({ current: 'a', next: 'x'.repeat(257), again: 'x'.repeat(257) }).next).toBe('Password must have at most 256 characters');
    expect(passwordProblems({ current: 'same password', next: 'same password', again: 'same password' }).next).toBe('New password must differ from the current one');
    expect(passwordProblems({ current: 'a', next: 'long enough', again: 'long enougH' })).toEqual({ again: 'The two new passwords differ' });
  });
});
