import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

// The READMEs promise the example "runs as shown": it must be the file that typecheck and lint cover.
it.each(['../README.md', '../../../README.md'])('%s shows ping-bot.ts exactly as it is in the repository', (path) => {
  const readme = readFileSync(new URL(path, import.meta.url), 'utf8');
  const example = readFileSync(new URL('./ping-bot.ts', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Write a bot'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(example);
});
