// The rooms scenario as a chart: ours against Socket.IO rooms, one small panel per figure, since
// latency and CPU per delivery have nothing in common but "lower is better".
import type { RoomsRow } from './rooms';

const COLORS = { ours: '#9c36b5', socketio: '#2f9e44' } as const;
const LABELS = { ours: 'ours (tRPC, chat.onEvent, persisted)', socketio: 'Socket.IO 4 rooms (nothing kept)' } as const;

const PANELS: { title: string; unit: string; value: (r: RoomsRow) => number }[] = [
  { title: 'delivery p50', unit: 'ms', value: (r) => r.latency.p50 },
  { title: 'delivery p99', unit: 'ms', value: (r) => r.latency.p99 },
  { title: 'server CPU per 1,000 deliveries', unit: 'ms', value: (r) => r.cpuMsPer1000 },
];

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

/** Bars per figure, ours beside Socket.IO; a missing target leaves its bar out. */
export function toRoomsSvg(rows: RoomsRow[], title: string): string {
  const W = 720;
  const H = 300;
  const top = 70;
  const bottom = 50;
  const panelW = (W - 40) / PANELS.length;
  const barW = 56;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="20" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text>`);
  let legendX = 20;
  for (const kind of ['ours', 'socketio'] as const) {
    if (!rows.some((r) => r.target === kind)) continue;
    out.push(`<rect x="${legendX}" y="36" width="12" height="12" fill="${COLORS[kind]}"/>`);
    out.push(`<text x="${legendX + 18}" y="46">${escapeXml(LABELS[kind])}</text>`);
    legendX += 300;
  }
  PANELS.forEach((panel, i) => {
    const x0 = 20 + i * panelW;
    const bars = (['ours', 'socketio'] as const).flatMap((kind) => {
      const row = rows.find((r) => r.target === kind);
      return row ? [{ kind, v: panel.value(row) }] : [];
    });
    const max = Math.max(1, ...bars.map((b) => b.v));
    const baseY = H - bottom;
    const scale = (v: number) => (v / max) * (baseY - top - 18);
    out.push(`<line x1="${x0 + 10}" x2="${x0 + panelW - 10}" y1="${baseY}" y2="${baseY}" stroke="#495057"/>`);
    bars.forEach((b, j) => {
      const x = x0 + panelW / 2 - bars.length * (barW / 2 + 4) + j * (barW + 8);
      const h = scale(b.v);
      out.push(`<rect x="${x.toFixed(1)}" y="${(baseY - h).toFixed(1)}" width="${barW}" height="${h.toFixed(1)}" fill="${COLORS[b.kind]}"/>`);
      out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(baseY - h - 5).toFixed(1)}" text-anchor="middle">${format(b.v)} ${panel.unit}</text>`);
    });
    out.push(`<text x="${x0 + panelW / 2}" y="${baseY + 20}" text-anchor="middle">${escapeXml(panel.title)}</text>`);
  });
  const o = rows[0];
  if (o) {
    out.push(
      `<text x="20" y="${H - 10}" fill="#495057">${escapeXml(`${o.users} users, ${o.channels} channels and ${o.dms} DMs, ${o.ratePerSec} msg/s over the rooms + ${o.everyoneRatePerSec} msg/s in #everyone, ${o.durationS} s; lower is better`)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
