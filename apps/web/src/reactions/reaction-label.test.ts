import { describe, expect, it } from 'vitest';
import { reactionLabel, reactorsText } from './reaction-label';

const u = (name: string) => ({ id: `u-${name}`, username: name });

describe('reactorsText', () => {
  it('names everyone when all are listed, the viewer as “you”', () => {
    expect(reactorsText({ emoji: '👍', count: 1, users: [u('alice')] }, 'u-me')).toBe('alice');
    expect(reactorsText({ emoji: '👍', count: 2, users: [u('alice'), u('me')] }, 'u-me')).toBe('alice and you');
    expect(reactorsText({ emoji: '👍', count: 3, users: [u('alice'), u('bob'), u('carol')] }, 'u-me')).toBe('alice, bob and carol');
  });

  it('counts the ones past the listed names', () => {
    expect(reactorsText({ emoji: '👍', count: 5, users: [u('alice'), u('bob')] }, 'u-me')).toBe('alice, bob and 3 others');
    expect(reactorsText({ emoji: '👍', count: 3, users: [u('alice'), u('bob')] }, 'u-me')).toBe('alice, bob and 1 other');
    expect(reactionLabel({ emoji: '🎉', count: 2, users: [u('alice'), u('bob')] }, 'u-me')).toBe('🎉 2: alice and bob');
  });
});
