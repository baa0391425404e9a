// The signed-in user's own account: GET and PATCH /profile (the name),
// POST /profile/password (the current password, then the new one).
import { api } from './client';
import type { Profile } from './types';

export async function getProfile(signal?: AbortSignal): Promise<Profile> {
  return (await api.get('/profile', { signal })).data;
}

/** "" leaves the account without a name (its email stands for it). */
export async function updateProfile(name: string): Promise<Profile> {
  return (await api.patch('/profile', { body: { name } })).data;
}

/**
 * A wrong current password is a 403 naming "current_password" (and counts
 * as a failed login: 429 after five); a new one the API refuses is a 422
 * naming "new_password". Answers how many other sessions were signed out.
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<{ sessions_ended: number }> {
  return (await api.post('/profile/password', { body: { current_password: currentPassword, new_password: newPassword } })).data;
}
