import { describe, expect, it } from 'vitest';
import { sendErrorMessage } from '../composer/send-errors';
import { roomErrorMessage } from './room-errors';

const refusal = (code: string, message: string) => Object.assign(new Error(message), { data: { code } });
const MUTED = 'A moderator muted you until 2026-12-06 10:00 UTC (5 min left): you can read but not send';

describe('roomErrorMessage', () => {
  it('shows a mute with the same sentence as a refused send or reaction, for create, update, invite and openDirect alike', () => {
    expect(roomErrorMessage(refusal('FORBIDDEN', MUTED))).toBe(`${MUTED}.`);
    expect(sendErrorMessage(refusal('FORBIDDEN', MUTED))).toBe(`Not sent: ${MUTED}.`);
  });

  it('says why other refusals happened, and keeps a room one cannot see indistinguishable from a missing one', () => {
    expect(roomErrorMessage(refusal('FORBIDDEN', 'Only an owner can remove an admin'))).toBe('Only an owner can remove an admin.');
    expect(roomErrorMessage(refusal('FORBIDDEN', ''))).toBe('You are not allowed to do that. Ask a moderator if you think you should be.');
    expect(roomErrorMessage(refusal('NOT_FOUND', 'Room not found'))).toBe('That room does not exist or you do not have access to it.');
    expect(roomErrorMessage(new TypeError('Failed to fetch'))).toBe('Could not reach the server. Check your connection and try again.');
  });

  it("shows the server's reason for a refused name: taken, or too similar to a channel", () => {
    const message = 'The name "generaI" is too similar to the channel "general"; pick another one';
    expect(roomErrorMessage({ message, data: { code: 'CONFLICT' } })).toBe(`${message}.`);
    expect(roomErrorMessage({ data: { code: 'CONFLICT' } })).toBe('That name is taken; pick another one.');
  });
});
