import { expect, it } from 'vitest';
import { formatLine } from './log';

it('writes one line: time, level, event, then key=value pairs, quoting where needed', () => {
  const line = formatLine('info', 'replied', { to: 'alice', text: 'rolled 2d6: 3 + 4', skipped: undefined, ok: true }, new Date(0));
  expect(line).toBe('1970-01-01T00:00:00.000Z info replied to=alice text="rolled 2d6: 3 + 4" ok=true');
  expect(formatLine('warn', 'x', { text: 'two\nlines' })).not.toMatch(/\n/);
});
