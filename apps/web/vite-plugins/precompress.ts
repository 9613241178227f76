import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/** Where the build writes, as an absolute path. */
export const outDirOf = (config: ResolvedConfig) => (config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir));

/** Text formats worth compressing; PNGs and fonts are compressed already, and source maps are for developers' tools only. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest', '.txt']);

/** Smaller files gain less than the header round trip costs. */
export const MIN_BYTES = 1024;

/**
 * Writes `file.br` and `file.gz` beside every compressible file of the build, at maximum quality:
 * compressed once here, so the server only picks a file by `Accept-Encoding` and never compresses a request.
 * A variant that is not smaller is left out; the server then sends the plain file.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = outDirOf(config);
    },
    writeBundle() {
      for (const file of filesUnder(outDir)) {
        if (!COMPRESSIBLE.has(extname(file))) continue;
        const plain = readFileSync(file);
        if (plain.length < MIN_BYTES) continue;
        const br = brotliCompressSync(plain, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length },
        });
        const gz = gzipSync(plain, { level: 9 });
        if (br.length < plain.length) writeFileSync(`${file}.br`, br);
        if (gz.length < plain.length) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}
