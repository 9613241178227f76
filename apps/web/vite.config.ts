import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev` runs the API on :8080; Vite serves the app and forwards API traffic to it.
const apiTarget = process.env.CHAT_API_PROXY_TARGET ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/trpc': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    // The server's CSP forbids inline code; keep every asset a file.
    assetsInlineLimit: 0,
  },
});
