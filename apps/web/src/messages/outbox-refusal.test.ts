import type { OutboxItem } from '@chat/client/core';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { outboxRefusal } from './outbox-refusal';

const refusal = (code: string, message: string) => TRPCClientError.from({ error: { code: -32003, message, data: { code, httpStatus: 403 } } });
const item = (kind: OutboxItem['kind']) => ({ kind, id: 'i', seq: 1, roomId: 'r', createdAt: '', state: { status: 'pending' } }) as OutboxItem;

describe('why the outbox stopped an item', () => {
  it('says it in the words of the thing that was stopped', () => {
    const muted = refusal('FORBIDDEN', 'A moderator muted you until 10:00');
    expect(outboxRefusal(muted, item('send'))).toBe('Not sent: A moderator muted you until 10:00.');
    expect(outboxRefusal(muted, item('react'))).toBe('Reaction not saved: A moderator muted you until 10:00.');
    expect(outboxRefusal(refusal('NOT_FOUND', 'Message not found'), item('edit'))).toBe('Edit not saved: That message is no longer available. It may have been deleted.');
  });
});
