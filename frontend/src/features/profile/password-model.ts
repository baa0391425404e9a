// The password form's own checks, before the API's: all three filled in,
// the new one as the API takes it (8 to 256 characters, not only spaces,
// not the current one), and typed the same twice.

export interface PasswordDraft {
  current: string;
  next: string;
  again: string;
}

export function passwordProblems(d: PasswordDraft): Partial<Record<keyof PasswordDraft, string>> {
  const out: Partial<Record<keyof PasswordDraft, string>> = {};
  if (d.current === '') out.current = 'Enter your current password';
  const n = [...d.next].length;
  if (d.next === '') out.next = 'Enter a new password';
  else if (n < 8 || d.next.trim() === '') out.next = 'Password must have at least 8 characters';
  else if (n > 256) out.next = 'Password must have at most 256 characters';
  else if (d.next === d.current) out.next = 'New password must differ from the current one';
  if (!out.next && d.again !== d.next) out.again = 'The two new passwords differ';
  return out;
}
