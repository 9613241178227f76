import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditSentence } from './audit-text';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: '1',
  at: '2026-11-29T10:00:00.000Z',
  actor: { id: 'a', username: 'alice' },
  action: 'ban',
  target: { id: 'b', username: 'bob' },
  reason: null,
  details: null,
  ...over,
});

describe('auditSentence', () => {
  it('says who did what to whom', () => {
    expect(auditSentence(entry({}))).toBe('alice banned bob');
    expect(auditSentence(entry({ action: 'mute', details: { minutes: 60 } }))).toBe('alice muted bob for 1 h');
    expect(auditSentence(entry({ action: 'mute', details: { minutes: 2880 } }))).toBe('alice muted bob for 2 days');
    expect(auditSentence(entry({ action: 'role', details: { from: 'member', to: 'admin' } }))).toBe('alice made bob admin (was member)');
    expect(auditSentence(entry({ action: 'room.remove', details: { roomId: 'r', room: 'general' } }))).toBe('alice removed bob from #general');
    expect(auditSentence(entry({ action: 'registration', target: null, details: { from: 'open', to: 'invite' } }))).toBe('alice set registration to invite (was open)');
  });

  it('names the command line when there is no actor', () => {
    expect(auditSentence(entry({ actor: null, action: 'role', details: { from: 'member', to: 'owner' } }))).toBe('The command line made bob owner (was member)');
  });
});
