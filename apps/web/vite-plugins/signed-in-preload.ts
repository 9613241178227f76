import type { Plugin } from 'vite';

/** The classic script in public/ that reads the attribute below; it must stay in step with this plugin. */
export const PRELOAD_SCRIPT = '/signed-in-preload.js';

/**
 * Names the chat chunk and its styles on a small script in index.html's head, which starts fetching
 * them at once when a session is stored: beside the entry script, instead of after the entry has been
 * fetched, run and rendered (decision 160). Signed out, the script does nothing, so the login page
 * still never loads the chat.
 */
export function signedInPreload(chunkName = 'SignedInApp'): Plugin {
  return {
    name: 'signed-in-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isDynamicEntry && c.name === chunkName);
        if (!chunk || chunk.type !== 'chunk') return;
        const files = [chunk.fileName, ...(chunk.viteMetadata?.importedCss ?? [])].map((f) => `/${f}`);
        return [{ tag: 'script', attrs: { src: PRELOAD_SCRIPT, async: true, 'data-chunks': files.join(' ') }, injectTo: 'head' }];
      },
    },
  };
}
