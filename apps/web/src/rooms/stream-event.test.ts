import { describe, expect, it } from 'vitest';
import { isDurable, unwrapStreamItem } from './stream-event';

describe('unwrapStreamItem', () => {
  it('takes tracked events out of their envelope with their id, ephemeral ones as they are', () => {
    const read = { type: 'read.updated' as const, eventId: '7', roomId: 'r', messageId: '5' };
    expect(unwrapStreamItem({ id: '7', data: read })).toEqual({ event: read, eventId: '7' });
    const typing = { type: 'typing' as const, roomId: 'r', user: { id: 'u', username: 'u' }, typing: true };
    expect(unwrapStreamItem(typing)).toEqual({ event: typing, eventId: null });
  });

  it('tells durable events from resync and ephemeral ones', () => {
    expect(isDurable({ type: 'read.updated', eventId: '1', roomId: 'r', messageId: '1' })).toBe(true);
    expect(isDurable({ type: 'resync', eventId: '1' })).toBe(false);
    expect(isDurable({ type: 'presence.snapshot', users: [] })).toBe(false);
  });
});
