import { runInNewContext } from 'node:vm';
import type { Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { bootSource, signedInAssets } from './boot-script';

const chunk = (fileName: string, extra: Partial<Rollup.OutputChunk> & { css?: string[] } = {}) =>
  ({ type: 'chunk', fileName, isEntry: false, isDynamicEntry: false, facadeModuleId: null, imports: [], viteMetadata: { importedCss: new Set(extra.css ?? []) }, ...extra }) as unknown as Rollup.OutputChunk;

/** Runs the boot script against a page holding `stored` under the session key; returns the links it added. */
function boot(source: string, stored: string | null) {
  const added: { rel: string; href: string; as?: string; crossOrigin?: string }[] = [];
  runInNewContext(source, {
    localStorage: { getItem: (key: string) => (key === 'chat.session.v1' ? stored : null) },
    document: { createElement: () => ({}), head: { append: (link: (typeof added)[number]) => added.push(link) } },
  });
  return added;
}

describe('the boot script', () => {
  const bundle = {
    'assets/index-a.js': chunk('assets/index-a.js', { isEntry: true, imports: ['assets/client-b.js'] }),
    'assets/client-b.js': chunk('assets/client-b.js'),
    'assets/SignedInApp-c.js': chunk('assets/SignedInApp-c.js', { isDynamicEntry: true, facadeModuleId: '/app/src/SignedInApp.tsx', imports: ['assets/index-a.js', 'assets/client-b.js', 'assets/files-d.js'], css: ['assets/SignedInApp-e.css'] }),
    'assets/files-d.js': chunk('assets/files-d.js', { css: ['assets/files-f.css'] }),
    'assets/ThreadPanel-g.js': chunk('assets/ThreadPanel-g.js', { isDynamicEntry: true, facadeModuleId: '/app/src/threads/ThreadPanel.tsx' }),
  } as unknown as Rollup.OutputBundle;

  it('names the signed-in chunk and what it imports, not the entry and not the other lazy chunks', () => {
    expect(signedInAssets(bundle, /[\\/]src[\\/]SignedInApp\.tsx$/)).toEqual({
      scripts: ['/assets/SignedInApp-c.js', '/assets/client-b.js', '/assets/files-d.js'],
      styles: ['/assets/SignedInApp-e.css', '/assets/files-f.css'],
    });
    expect(() => signedInAssets(bundle, /Nowhere\.tsx$/)).toThrow(/no lazily loaded chunk/);
  });

  it('fetches them with a stored session and nothing without one, and survives storage that refuses', () => {
    const source = bootSource('chat.session.v1', signedInAssets(bundle, /[\\/]src[\\/]SignedInApp\.tsx$/));
    expect(boot(source, null)).toEqual([]);
    const links = boot(source, '{"token":"t"}');
    expect(links.map((l) => [l.rel, l.href])).toEqual([
      ['modulepreload', '/assets/SignedInApp-c.js'],
      ['modulepreload', '/assets/client-b.js'],
      ['modulepreload', '/assets/files-d.js'],
      ['preload', '/assets/SignedInApp-e.css'],
      ['preload', '/assets/files-f.css'],
    ]);
    // The CORS mode Vite's own loader uses, so the browser reuses what was fetched.
    expect(links.every((l) => l.crossOrigin === '')).toBe(true);
    expect(links.filter((l) => l.rel === 'preload').every((l) => l.as === 'style')).toBe(true);
    expect(() => runInNewContext(source, { localStorage: { getItem: () => { throw new Error('denied'); } }, document: {} })).not.toThrow();
  });
});
