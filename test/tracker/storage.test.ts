import { describe, expect, it } from 'vitest';
import { loadTracker } from './support/harness';

describe('storage', () => {
  it('keeps values under ls_ keys and removes them, including keys that were never set', async () => {
    const { storage } = await loadTracker();
    localStorage.clear();
    storage.write('u', 'ada@example.com');
    expect(localStorage.getItem('ls_u')).toBe('ada@example.com');
    expect(storage.read('u')).toBe('ada@example.com');
    storage.write('u');
    storage.write('never-set');
    expect(storage.read('u')).toBeUndefined();
    expect(localStorage.length).toBe(0);
  });

  it('makes 128-bit ids that do not repeat', async () => {
    const { storage } = await loadTracker();
    const ids = Array.from({ length: 10_000 }, storage.newId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^\d+-\d+-\d+-\d+$/);
  });

  it('creates the visitor id once and keeps it', async () => {
    const { storage } = await loadTracker();
    localStorage.clear();
    const id = storage.anonymousId();
    expect(storage.anonymousId()).toBe(id);
    expect(localStorage.getItem('ls_a')).toBe(id);
  });
});
