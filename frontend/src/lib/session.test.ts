import { describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import { can, isAdmin, isOwner } from './session';

const me = (role: 'owner' | 'admin' | 'member', permissions: string[] = []): Me => ({
  user: { id: 'uuuuuuuuuuuu', email: 'a@b.test', name: 'A', role, permissions },
  company: { id: 'cccccccccccc', name: 'C' },
  auth: { method: 'session', csrf_token: 't', token_id: null, expires_at: null },
});

describe('permissions in the UI', () => {
  it('lets owners and admins do everything', () => {
    expect(can(me('owner'), 'clients.edit')).toBe(true);
    expect(can(me('admin'), 'clients.create')).toBe(true);
  });
  it('reads members’ permissions, including the ".own" variants', () => {
    expect(can(me('member', ['clients.view']), 'clients.edit')).toBe(false);
    expect(can(me('member', ['clients.edit']), 'clients.edit')).toBe(true);
    expect(can(me('member', ['clients.edit.own']), 'clients.edit')).toBe(true);
  });
  it('allows nothing without a session', () => {
    expect(can(null, 'clients.view')).toBe(false);
    expect(can(undefined, 'clients.view')).toBe(false);
  });
  it('knows owners (purge) and admins (merge)', () => {
    expect(isOwner(me('owner'))).toBe(true);
    expect(isOwner(me('admin'))).toBe(false);
    expect(isAdmin(me('admin'))).toBe(true);
    expect(isAdmin(me('member'))).toBe(false);
  });
});
