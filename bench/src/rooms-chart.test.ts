import { expect, it } from 'vitest';
import type { RoomsRow } from './rooms';
import { toRoomsSvg } from './rooms-chart';

const row = (target: RoomsRow['target'], p50: number, p99: number, cpuMsPer1000: number): RoomsRow => ({
  target,
  users: 10_000,
  connected: 10_000,
  channels: 700,
  dms: 300,
  meanChannelMembers: 62,
  ratePerSec: 500,
  everyoneRatePerSec: 1,
  durationS: 60,
  setupSeconds: 1,
  connectSeconds: 1,
  latency: { count: 1, p50, p95: p99, p99, max: p99, mean: p50 },
  accepted: 1,
  sendFailed: 0,
  sendErrors: [],
  expected: 1,
  delivered: 1,
  lost: 0,
  duplicates: 0,
  closed: 0,
  deliveriesPerSec: 1,
  cpuMsPer1000,
  cpuPercent: 1,
  loadCpuPercent: 1,
});

const barHeights = (svg: string, color: string) => [...svg.matchAll(new RegExp(`<rect [^>]*width="56" height="([\\d.]+)" fill="${color}"`, 'g'))].map((m) => Number(m[1]));

it('draws one bar per server and figure, scaled within each figure', () => {
  const svg = toRoomsSvg([row('ours', 12, 80, 40), row('socketio', 6, 120, 50)], 'Rooms');
  expect(svg).toContain('80 ms');
  expect(svg).toContain('120 ms');
  // p50, p99, CPU: ours is taller, shorter, shorter than Socket.IO.
  const ours = barHeights(svg, '#9c36b5');
  const sio = barHeights(svg, '#2f9e44');
  expect(ours).toHaveLength(3);
  expect(sio).toHaveLength(3);
  expect(ours[0]).toBeGreaterThan(sio[0]!);
  expect(ours[1]).toBeLessThan(sio[1]!);
  expect(ours[2]).toBeLessThan(sio[2]!);
  expect(svg).toContain('10000 users, 700 channels and 300 DMs');
});

it('leaves a target that did not run out, and escapes the title', () => {
  const svg = toRoomsSvg([row('ours', 12, 80, 40)], 'a < b & c');
  expect(barHeights(svg, '#2f9e44')).toHaveLength(0);
  expect(svg).not.toContain('Socket.IO 4 rooms');
  expect(svg).toContain('a &lt; b &amp; c');
});
