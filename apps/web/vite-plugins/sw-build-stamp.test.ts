import { describe, expect, it } from 'vitest';
import { buildStamp, codeAssets } from './sw-build-stamp';

describe('the service worker build stamp', () => {
  it('lists every script and style of the build for the worker to keep, lazy chunks too, and no maps, data or html', () => {
    const files = ['index.html', 'assets/index-a1b2c3d4.js', 'assets/index-a1b2c3d4.js.map', 'assets/ThreadPanel-Zz9y8x7w.js', 'assets/Threads-q1w2e3r4.css', 'emojibase/17.0.0/en/data.json', 'sw.js'];
    expect(codeAssets(files)).toEqual(['/assets/ThreadPanel-Zz9y8x7w.js', '/assets/Threads-q1w2e3r4.css', '/assets/index-a1b2c3d4.js']);
  });

  it('names a build by its files: a changed chunk name or index.html gives a new name', () => {
    const build = new Map<string, string>([
      ['index.html', '<script src="/assets/index-a1b2c3d4.js">'],
      ['assets/index-a1b2c3d4.js', 'code'],
    ]);
    const same = buildStamp(new Map(build));
    expect(buildStamp(build)).toBe(same);
    expect(buildStamp(new Map([...build, ['assets/ThreadPanel-Zz9y8x7w.js', 'more']]))).not.toBe(same);
    expect(buildStamp(new Map([...build, ['index.html', '<script src="/assets/index-e5f6g7h8.js">']]))).not.toBe(same);
  });
});
