import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { outDirOf } from './precompress';

/** What public/sw.js says where the build's name goes. */
export const BUILD_PLACEHOLDER = '__EMBER_BUILD__';
/** What public/sw.js says where the list of the build's scripts and styles goes (a JSON array replaces it). */
export const ASSETS_PLACEHOLDER = "['__EMBER_ASSETS__']";

/**
 * The build's scripts and styles, lazily loaded chunks included, as the worker fetches them: an offline start
 * opens a dialog or panel whose chunk this device never loaded while online (docs/decisions/164).
 */
export function codeAssets(fileNames: readonly string[]): string[] {
  return fileNames
    .filter((name) => name.startsWith('assets/') && /\.(js|css)$/.test(name))
    .sort()
    .map((name) => `/${name}`);
}

/** A build's name: the same files give the same name, any changed asset (or index.html) a new one. */
export function buildStamp(files: ReadonlyMap<string, string | Uint8Array | null>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(`${name}\n`);
    const source = files.get(name);
    // Hashed names already stand for their contents; the unhashed ones (index.html) count by what they hold.
    if (source && !/-[\w-]{8,}\.\w+$/.test(name)) hash.update(source);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Writes the build's name into the service worker, whose cache is `ember-shell-<build>`: every build is then a
 * new worker, and its activation deletes the caches of the builds before it, so old assets do not pile up.
 */
export function swBuildStamp(): Plugin {
  let outDir = '';
  let stamp = '';
  let assets: string[] = [];
  return {
    name: 'sw-build-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = outDirOf(config);
    },
    generateBundle(_options, bundle) {
      stamp = buildStamp(new Map(Object.values(bundle).map((file) => [file.fileName, file.type === 'asset' ? file.source : file.code])));
      assets = codeAssets(Object.keys(bundle));
    },
    writeBundle: {
      order: 'pre',
      sequential: true,
      handler() {
        const file = join(outDir, 'sw.js');
        if (existsSync(file)) writeFileSync(file, readFileSync(file, 'utf8').replaceAll(BUILD_PLACEHOLDER, stamp).replaceAll(ASSETS_PLACEHOLDER, JSON.stringify(assets)));
      },
    },
  };
}
