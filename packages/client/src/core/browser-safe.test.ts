import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('.', import.meta.url));
/** What the core may import (types aside, which vanish from bundles): itself and browser-safe entries of the API package and tRPC. */
const ALLOWED = [/^@chat\/api\/schemas$/, /^@trpc\/client$/];
/** A relative import stays inside the core (its folders, such as the outbox's, included). */
const insideCore = (file: string, specifier: string) => /^\.\.?\//.test(specifier) && resolve(dirname(join(dir, file)), specifier).startsWith(resolve(dir));

describe('the client core', () => {
  it('imports nothing that only Node has, so the web bundle can take it', () => {
    const sources = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.test-helpers.ts'));
    expect(sources.length).toBeGreaterThan(3);
    for (const file of sources) {
      const specifiers = [...readFileSync(join(dir, file), 'utf8').replace(/^import type .*$/gm, '').matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]!);
      for (const specifier of specifiers) expect(insideCore(file, specifier) || ALLOWED.some((re) => re.test(specifier)), `${file} imports ${specifier}`).toBe(true);
    }
  });
});
