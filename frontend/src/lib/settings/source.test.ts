import { describe, expect, it } from 'vitest';
import { fallbackPhrase, sourceView } from './source';

describe('setting sources', () => {
  it('labels each source as a client sees it', () => {
    expect(sourceView('client', 'client')).toMatchObject({ label: 'Client', tone: 'accent', own: true });
    expect(sourceView('group', 'client', 'Wholesale')).toMatchObject({ label: 'From group', tone: 'info', own: false, description: 'Inherited from the group Wholesale' });
    expect(sourceView('company', 'client')).toMatchObject({ label: 'Company', tone: 'neutral', own: false });
    expect(sourceView('default', 'client')).toMatchObject({ label: 'Default', own: false });
  });

  it('marks a level’s own values as its own, at group and company level', () => {
    expect(sourceView('group', 'group')).toMatchObject({ label: 'Group', tone: 'accent', own: true });
    expect(sourceView('company', 'company')).toMatchObject({ label: 'Company', tone: 'accent', own: true });
    expect(sourceView('default', 'company').own).toBe(false);
  });

  it('still describes a group source without the group’s name', () => {
    expect(sourceView('group', 'client').description).toBe("Inherited from the client's group");
    expect(sourceView('group', 'client', '').description).toBe("Inherited from the client's group");
    expect(sourceView('group', 'client', null).description).toBe("Inherited from the client's group");
  });

  it('says what clearing falls back to', () => {
    expect(fallbackPhrase('client')).toMatch(/group/);
    expect(fallbackPhrase('company')).toBe('the built-in default');
  });
});
