import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

// The README promises the example "runs as shown": it must be the file that typecheck and lint cover.
it('shows ping-bot.ts in the README exactly as it is in the repository', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./ping-bot.ts', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Write a bot'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(example);
});
