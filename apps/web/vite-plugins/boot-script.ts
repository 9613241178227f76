import type { Plugin, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;
type OutputChunk = Rollup.OutputChunk;

/** The chunk of the signed-in app (App.tsx loads it lazily) and every script and style it needs that index.html does not. */
export function signedInAssets(bundle: OutputBundle, entryModule: RegExp): { scripts: string[]; styles: string[] } {
  const chunks = Object.values(bundle).filter((file): file is OutputChunk => file.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const root = chunks.find((chunk) => chunk.isDynamicEntry && chunk.facadeModuleId !== null && entryModule.test(chunk.facadeModuleId));
  if (!root) throw new Error(`no lazily loaded chunk for ${entryModule}`);
  const seen = new Set<string>();
  const styles = new Set<string>();
  const visit = (chunk: OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const css of (chunk as OutputChunk & { viteMetadata?: { importedCss: Set<string> } }).viteMetadata?.importedCss ?? []) styles.add(css);
    for (const name of chunk.imports) {
      const next = byName.get(name);
      if (next && !next.isEntry) visit(next);
    }
  };
  visit(root);
  return { scripts: [...seen].map((f) => `/${f}`), styles: [...styles].map((f) => `/${f}`) };
}

/** The boot script's source: with a stored session, the signed-in app's files are fetched (not run) at once. */
export function bootSource(sessionKey: string, assets: { scripts: string[]; styles: string[] }): string {
  const links = [...assets.scripts.map((href) => [href, 'modulepreload']), ...assets.styles.map((href) => [href, 'preload'])];
  return `// Written by the build (vite-plugins/boot-script.ts, docs/decisions/167).
try {
  if (localStorage.getItem(${JSON.stringify(sessionKey)}) !== null)
    for (const [href, rel] of ${JSON.stringify(links)}) {
      const link = document.createElement('link');
      link.rel = rel;
      link.href = href;
      link.crossOrigin = '';
      if (rel === 'preload') link.as = 'style';
      document.head.append(link);
    }
} catch {}
`;
}

/**
 * A browser that holds a session would fetch the chat's code only once the app's scripts have arrived and run and
 * found the session: a round trip and the whole app's evaluation after they could have started. A few hundred bytes
 * of script, first in index.html and async (it runs as soon as it arrives), fetch them beside the app's own instead;
 * the login page, with no session, fetches nothing more (docs/decisions/167). Generated rather than bundled: a
 * second entry would share modules with the app and split both into more files.
 */
export function bootScript(options: { sessionKey: string; signedInModule: RegExp }): Plugin {
  let fileName: string | null = null;
  return {
    name: 'boot-script',
    apply: 'build',
    generateBundle: {
      // Before Vite writes index.html (its own generateBundle), which then names this file.
      order: 'pre',
      handler(_options, bundle) {
        const ref = this.emitFile({ type: 'asset', name: 'boot.js', source: bootSource(options.sessionKey, signedInAssets(bundle, options.signedInModule)) });
        fileName = this.getFileName(ref);
      },
    },
    transformIndexHtml: {
      order: 'post',
      handler() {
        if (!fileName) throw new Error('boot-script: index.html was written before the boot script');
        return [{ tag: 'script', attrs: { type: 'module', async: true, src: `/${fileName}` }, injectTo: 'head-prepend' }];
      },
    },
  };
}
