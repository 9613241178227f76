import type { PublicUser } from '@chat/client';
import { describe, expect, it } from 'vitest';
import { HELP_TEXT, reactionFor, replyTo } from './replies';

const alice: PublicUser = { id: '1', username: 'alice', createdAt: '2026-01-02T03:04:05.000Z' };
const alicia: PublicUser = { id: '2', username: 'alicia', createdAt: '2026-02-02T03:04:05.000Z' };
const ctx = (found: PublicUser[] = [], random?: () => number) => ({
  author: 'bob',
  botUsername: 'helper-bot',
  searchUsers: async () => found,
  random,
});

describe('replyTo', () => {
  it('lists the commands for /help', async () => {
    expect(await replyTo({ kind: 'help' }, ctx())).toBe(HELP_TEXT);
    expect(HELP_TEXT).toMatch(/\/who <name>/);
  });

  it('shows each die and the total', async () => {
    const values = [0, 0.99];
    expect(await replyTo({ kind: 'roll', spec: { count: 2, sides: 6 } }, ctx([], () => values.shift()!))).toBe('bob rolled 2d6: 1 + 6 = 7');
    expect(await replyTo({ kind: 'roll', spec: { count: 1, sides: 20 } }, ctx([], () => 0.5))).toBe('bob rolled 1d20: 11');
  });

  it('finds a user by exact name, else suggests close ones', async () => {
    expect(await replyTo({ kind: 'who', name: 'Alice' }, ctx([alicia, alice]))).toBe('alice has been here since 2026-01-02.');
    expect(await replyTo({ kind: 'who', name: 'ali' }, ctx([alice, alicia]))).toBe('Nobody here is called ali. Did you mean: alice, alicia?');
    expect(await replyTo({ kind: 'who', name: 'zed' }, ctx())).toBe('Nobody here is called zed.');
  });

  it('greets whoever mentions it, without mentioning them back', async () => {
    const reply = await replyTo({ kind: 'mention' }, ctx());
    expect(reply).toMatch(/^Hi bob!/);
    expect(reply).not.toMatch(/@/);
  });
});

describe('reactionFor', () => {
  it('waves back at a greeting and ticks a command it answered', () => {
    expect(reactionFor({ kind: 'mention' })).toBe('👋');
    expect(reactionFor({ kind: 'help' })).toBe('✅');
    expect(reactionFor({ kind: 'usage', command: 'roll', reason: 'x' })).toBe('✅');
  });
});
