import { describe, expect, it } from 'vitest';
import { roomErrorMessage } from './room-errors';

describe('roomErrorMessage', () => {
  it("shows the server's reason for a refused name: taken, or too similar to a channel", () => {
    const message = 'The name "generaI" is too similar to the channel "general"; pick another one';
    expect(roomErrorMessage({ message, data: { code: 'CONFLICT' } })).toBe(message);
    expect(roomErrorMessage({ data: { code: 'CONFLICT' } })).toBe('That name is taken; pick another one.');
  });
});
