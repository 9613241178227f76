import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('.', import.meta.url));
/** What the core may import (types aside, which vanish from bundles): itself and browser-safe entries of the API package and tRPC. */
const ALLOWED = [/^\.\//, /^@chat\/api\/schemas$/, /^@trpc\/client$/];

describe('the client core', () => {
  it('imports nothing that only Node has, so the web bundle can take it', () => {
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(3);
    for (const file of sources) {
      const specifiers = [...readFileSync(`${dir}/${file}`, 'utf8').replace(/^import type .*$/gm, '').matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]!);
      for (const specifier of specifiers) expect(ALLOWED.some((re) => re.test(specifier)), `${file} imports ${specifier}`).toBe(true);
    }
  });
});
