import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { SESSION_KEY } from './src/session/session-key';
import { bootScript } from './vite-plugins/boot-script';
import { precompress } from './vite-plugins/precompress';
import { swBuildStamp } from './vite-plugins/sw-build-stamp';

// `pnpm dev` runs the API on :8080; Vite serves the app and forwards API traffic to it.
const apiTarget = process.env.CHAT_API_PROXY_TARGET ?? 'http://localhost:8080';

// The emoji picker's data (emojibase-data, the set the server validates reactions against) is served
// by us: the CSP allows no other host, and the versioned path changes whenever the package does.
const require = createRequire(import.meta.url);
const emojibaseDir = dirname(require.resolve('emojibase-data/package.json'));
const emojibaseVersion = (JSON.parse(readFileSync(join(emojibaseDir, 'package.json'), 'utf8')) as { version: string }).version;
const EMOJIBASE_URL = `/emojibase/${emojibaseVersion}`;
const EMOJIBASE_FILES = ['en/data.json', 'en/messages.json'];

function emojibaseData(): Plugin {
  return {
    name: 'emojibase-data',
    configureServer(server) {
      server.middlewares.use(EMOJIBASE_URL, (req, res, next) => {
        const file = EMOJIBASE_FILES.find((f) => req.url === `/${f}`);
        if (!file) return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(readFileSync(join(emojibaseDir, file)));
      });
    },
    generateBundle() {
      for (const file of EMOJIBASE_FILES) this.emitFile({ type: 'asset', fileName: `${EMOJIBASE_URL.slice(1)}/${file}`, source: readFileSync(join(emojibaseDir, file)) });
    },
  };
}

export default defineConfig({
  // The stamp before precompress: the compressed copies of sw.js must carry it too.
  plugins: [react(), emojibaseData(), bootScript({ sessionKey: SESSION_KEY, signedInModule: /[\\/]src[\\/]SignedInApp\.tsx$/ }), swBuildStamp(), precompress()],
  define: { 'import.meta.env.VITE_EMOJIBASE_URL': JSON.stringify(EMOJIBASE_URL) },
  // Every `import 'zod'` (the web's and the shared schemas') gets zod configured for our CSP first.
  resolve: { alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod-without-eval.ts', import.meta.url)) }] },
  server: {
    proxy: {
      '/trpc': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, ws: true, changeOrigin: false },
      '/files': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    // The server's CSP forbids inline code; keep every asset a file.
    assetsInlineLimit: 0,
    // Served beside the bundle: the source is open anyway, and a stack trace from a user's browser
    // then points at our files rather than at one minified line.
    sourcemap: true,
    rolldownOptions: {
      output: {
        // The client libraries every page runs (React, React Query, tRPC, the client core) in one chunk: split by
        // which lazy chunks share them, they came as seven small files on the login page, 7 kB more compressed
        // than together (docs/decisions/164).
        codeSplitting: {
          groups: [{ name: 'client', test: /node_modules[\\/](@tanstack|@trpc|react)[\\/]|packages[\\/]client[\\/]src[\\/]core[\\/]/ }],
        },
      },
    },
  },
});
