import { describe, expect, it } from 'vitest';
import { type CpuProfile, packageOf, summarize } from './profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('profile summary', () => {
  it('charges self time to functions and packages, native leaves to their caller, and leaves idle out', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 6] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('deliver', 'file:///work/main/apps/server/dist/main.js', 9), children: [4] },
        { id: 4, callFrame: frame('send', 'file:///work/main/node_modules/.pnpm/ws@8.23.0/node_modules/ws/lib/sender.js', 1), children: [5] },
        { id: 5, callFrame: frame('writev') },
        { id: 6, callFrame: frame('(garbage collector)') },
      ],
      samples: [2, 2, 3, 4, 5, 5, 6],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const s = summarize(profile);
    expect(s.totalMs).toBe(7);
    expect(s.busyMs).toBe(5);
    expect(Object.fromEntries(s.byPackage.map((p) => [p.name, p.percent]))).toEqual({ ws: 60, ours: 20, GC: 20 });
    expect(s.self[0]).toEqual({ name: 'writev :1', ms: 2, percent: 40 });
    expect(s.inclusive.find((x) => x.name.startsWith('deliver'))).toEqual({ name: 'deliver apps/server/dist/main.js:10', ms: 4, percent: 80 });
  });

  it('names the package of a scoped dependency and of node itself', () => {
    expect(packageOf(frame('x', 'file:///r/node_modules/.pnpm/@trpc+server@11.25.2/node_modules/@trpc/server/dist/a.mjs'))).toBe('@trpc/server');
    expect(packageOf(frame('x', 'node:internal/streams/writable'))).toBe('node');
  });
});
