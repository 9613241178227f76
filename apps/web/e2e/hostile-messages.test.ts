import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, signUp, type Viewer, useBrowserSuite } from './browser';


// 2,000 characters, 1,999 lines.
const TALL = `a${'\n'.repeat(1998)}z`;
// Sixty combining marks above and below each letter.
const MARKS = Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0x300 + (i % 0x70))).join('');
const ZALGO = [...'ZALGO COMES'].map((c) => c + MARKS).join('');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.runIf(browserTestsReady)('a hostile message in a real browser', () => {
  const suite = useBrowserSuite();
  let viewer: Viewer;

  beforeAll(async () => {
    viewer = await openViewer(suite.browser, suite.server.url, { width: 1024, height: 720 });
    await signUp(viewer.page, 'ruth', 'correct horse battery');
    await viewer.page.locator('[data-status=connected]').waitFor();
    const anon = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc` })] });
    const { token } = await anon.auth.signup.mutate({ username: 'mallory', password: 'correct horse battery' });
    const mallory = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
    for (const text of ['before the tall one', TALL, 'between the two', ZALGO, 'after the storm']) await mallory.chat.send.mutate({ text });
    await viewer.page.locator('.message-text', { hasText: 'after the storm' }).waitFor();
  }, 60_000);

  const bubble = (text: string | RegExp) => viewer.page.locator('.message-bubble', { has: viewer.page.locator('.message-text', { hasText: text }) });
  const box = async (l: Locator) => {
    const b = await l.boundingBox();
    if (!b) throw new Error('not rendered');
    return b;
  };
  /** Every bubble's box, in list order; none may overlap another. */
  const expectNoOverlap = async () => {
    const boxes = await Promise.all((await viewer.page.locator('.message-items .message-bubble').all()).map(box));
    expect(boxes).toHaveLength(5);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y, `bubble ${i} starts below bubble ${i - 1}`).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
  };

  it('collapses a 2,000-line message inside its bubble, and "Show more" opens it in place', async () => {
    const tall = bubble(/^a\n/);
    const more = tall.getByRole('button', { name: 'Show more' });
    await more.waitFor();
    const collapsed = await box(tall);
    expect(collapsed.height).toBeLessThan(400);
    await expectNoOverlap();
    // The button sits inside the bubble, not over a neighbour.
    const button = await box(more);
    expect(button.y).toBeGreaterThanOrEqual(collapsed.y);
    expect(button.y + button.height).toBeLessThanOrEqual(collapsed.y + collapsed.height);

    await more.click();
    const less = tall.getByRole('button', { name: 'Show less' });
    await less.waitFor();
    const expanded = await box(tall);
    expect(expanded.height).toBeGreaterThan(collapsed.height * 20);
    expect(await tall.locator('.message-text').evaluate((p) => p.scrollHeight - p.clientHeight)).toBeLessThanOrEqual(1);
    await expectNoOverlap();

    await less.click();
    await more.waitFor();
    expect((await box(tall)).height).toBeCloseTo(collapsed.height, 0);
  });

  it('clips stacked combining marks to their bubble: the neighbours look the same with or without them', async () => {
    const zalgo = bubble(/\u0300/);
    const zalgoText = zalgo.locator('.message-text');
    await zalgoText.scrollIntoViewIfNeeded();
    await expectNoOverlap();
    expect((await box(zalgo)).height).toBeLessThan(200);
    await viewer.page.screenshot({ path: `${screenshots}/hostile-messages.png` });

    // The bubbles, not their rows: rows may touch the next bubble's edge, which the marks' own bubble repaints.
    const neighbours = [viewer.page.locator('.message-bubble', { hasText: 'between the two' }), viewer.page.locator('.message-bubble', { hasText: 'after the storm' })];
    const shots = async () => Promise.all(neighbours.map((n) => n.screenshot({ animations: 'disabled', caret: 'hide' })));
    const setMarks = (visibility: '' | 'hidden') => zalgoText.evaluate((p, v) => void (p.style.visibility = v), visibility);
    // Pixels that differ clearly between two shots, counted in the page's own canvas. A mark painted
    // over a neighbour changes many pixels a lot; re-rasterising a translucent bubble over the page's
    // gradient (a repaint, a late scroll) moves a few by a little, which exact equality took for damage.
    const clearlyDifferent = (a: Buffer, b: Buffer) =>
      viewer.page.evaluate(
        async ([x, y]) => {
          const pixels = async (b64: string) => {
            const image = new Image();
            image.src = `data:image/png;base64,${b64}`;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext('2d')!;
            context.drawImage(image, 0, 0);
            return context.getImageData(0, 0, image.width, image.height).data;
          };
          const [p, q] = await Promise.all([pixels(x), pixels(y)]);
          if (p.length !== q.length) return Number.POSITIVE_INFINITY;
          let count = 0;
          for (let i = 0; i < p.length; i += 4) if (Math.max(Math.abs(p[i]! - q[i]!), Math.abs(p[i + 1]! - q[i + 1]!), Math.abs(p[i + 2]! - q[i + 2]!)) > 48) count++;
          return count;
        },
        [a.toString('base64'), b.toString('base64')] as const,
      );
    const withMarks = await shots();
    await setMarks('hidden');
    const withoutMarks = await shots();
    await setMarks('');
    for (let i = 0; i < neighbours.length; i++) expect(await clearlyDifferent(withMarks[i]!, withoutMarks[i]!), `pixels of neighbour ${i} painted over`).toBeLessThanOrEqual(4);
  });
});
