import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../repo-root';

// docs/decisions/126-push-lane-boundary.md: what relies on tRPC's or ws's internals, or writes tRPC's
// frames by hand, lives in this folder, against exact versions of both.

const WIRE = join('apps', 'server', 'src', 'transport', 'wire') + sep;

/** Private members and entry points of @trpc/server and ws, and hand-written frame JSON. */
const INTERNALS: [RegExp, string][] = [
  [/unstable-core-do-not-import/, "tRPC's unstable core"],
  [/\._def\b/, "a router's _def"],
  [/\b_socket\b/, "ws's _socket"],
  [/\b_sender\b/, "ws's _sender"],
  [/prototype\.send\b|\.send\s*=[^=]/, "a replaced WebSocket send"],
  [/\.listeners\(\s*'message'\s*\)/, "the adapter's message listener"],
  [/\{"id":|"result":\{|method: 'reconnect'/, 'a tRPC frame written by hand'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("the push lane's boundary", () => {
  it("keeps every use of tRPC's or ws's internals, and every hand-written frame, in transport/wire", () => {
    const outside: string[] = [];
    for (const root of [join(repoRoot, 'apps', 'server', 'src'), join(repoRoot, 'packages', 'api', 'src')]) {
      for (const file of sourceFiles(root)) {
        const path = relative(repoRoot, file);
        if (path.startsWith(WIRE)) continue;
        const text = readFileSync(file, 'utf8');
        for (const [pattern, what] of INTERNALS) if (pattern.test(text)) outside.push(`${path}: ${what}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('pins ws and every @trpc/* package to the exact version installed, in every package.json that names them', () => {
    const manifests = ['.', 'bench', ...['apps', 'packages'].flatMap((group) => readdirSync(join(repoRoot, group)).map((name) => join(group, name)))];
    const found: string[] = [];
    const loose: string[] = [];
    for (const dir of manifests) {
      let manifest: Record<string, Record<string, string> | undefined>;
      try {
        manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as typeof manifest;
      } catch {
        continue;
      }
      const require = createRequire(join(repoRoot, dir, 'package.json'));
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [name, range] of Object.entries(manifest[field] ?? {})) {
          if (name !== 'ws' && !name.startsWith('@trpc/')) continue;
          found.push(`${dir}:${name}`);
          const installed = (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
          if (range !== installed) loose.push(`${dir} ${field} ${name}: "${range}", installed ${installed}`);
        }
      }
    }
    expect(found.length).toBeGreaterThan(0);
    expect(loose).toEqual([]);
  });
});
