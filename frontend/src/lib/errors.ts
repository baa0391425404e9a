import { ApiError } from '../api/client';

/** A sentence for a toast or an alert about any failure. */
export function describeError(e: unknown): { title: string; message?: string } {
  if (e instanceof ApiError) {
    const title = capitalise(e.message);
    const parts = [e.detail, e.hint].filter((x): x is string => typeof x === 'string' && x !== '');
    if (e.status === 0) return { title: 'Could not reach clientd', message: 'Check your connection and try again.' };
    if (e.status === 403 && parts.length === 0) return { title: "You don't have permission to do that", message: title + '.' };
    if (e.status >= 500 && parts.length === 0) {
      return { title: 'Something went wrong on the server', message: e.requestId ? `Request id ${e.requestId}.` : 'Try again in a moment.' };
    }
    return parts.length > 0 ? { title, message: parts.join(' ') } : { title };
  }
  if (e instanceof Error) return { title: 'Something went wrong', message: e.message };
  return { title: 'Something went wrong' };
}

export function capitalise(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
