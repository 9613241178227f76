// The years scenario's tables and its goals (issue 26 §1), for the bench's Markdown and verdicts.
import type { YearsResult } from './scenario';

export interface YearsCheck {
  target: string;
  measured: string;
  met: boolean;
}

const mib = (b: number) => `${Math.round(b / 2 ** 20).toLocaleString('en')} MiB`;

/** The goals: history and unread p99 < 20 ms, search p99 < 200 ms, start < 5 s, a far resume bounded. */
export function yearsChecks(y: YearsResult): YearsCheck[] {
  const checks: YearsCheck[] = [];
  const worst = (xs: number[]) => Math.max(0, ...xs);
  const history = worst(y.history.flatMap((h) => [h.newest.p99, h.oldest.p99]));
  checks.push({ target: 'Years: history page p99 < 20 ms (newest and oldest page)', measured: `worst p99 ${history} ms`, met: history < 20 });
  const unread = worst(y.unread.map((u) => u.latency.p99));
  checks.push({ target: `Years: unread counts (room.list) p99 < 20 ms, a user in ${y.reader.rooms} rooms`, measured: `worst p99 ${unread} ms`, met: unread < 20 });
  const search = worst(y.search.map((s) => s.latency.p99));
  checks.push({ target: 'Years: search p99 < 200 ms (common and rare word, all rooms and one room)', measured: `worst p99 ${search} ms`, met: search < 200 });
  checks.push({ target: 'Years: server start < 5 s', measured: `${y.startMs} ms`, met: y.startMs < 5000 });
  // Far back: bounded by what the reader may see, so no slower than the nearest resume by much.
  const far = y.resume.at(-1);
  if (far) checks.push({ target: 'Years: a far-back resume costs O(what the reader may see)', measured: `${far.eventsBack} back: ${far.items} items in ${far.liveMs} ms`, met: far.liveMs < 1000 });
  return checks;
}

export function yearsMarkdown(y: YearsResult): string[] {
  const lines: string[] = [];
  const d = y.data;
  lines.push(
    '#### Years of data',
    '',
    `${d.messages.toLocaleString('en')} messages, ${d.events.toLocaleString('en')} events, ${d.rooms.toLocaleString('en')} rooms, ${d.users.toLocaleString('en')} users, ${d.memberships.toLocaleString('en')} memberships; reader \`${y.reader.username}\` in ${y.reader.rooms} rooms. Server start (spawn to healthy): ${y.startMs} ms. A nullable column added to \`messages\`: ${y.addColumnMs} ms.`,
    '',
  );
  lines.push('| history page (50) | room messages | newest p50 ms | newest p99 ms | oldest p50 ms | oldest p99 ms |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const h of y.history) lines.push(`| ${h.room} | ${h.roomMessages.toLocaleString('en')} | ${h.newest.p50} | ${h.newest.p99} | ${h.oldest.p50} | ${h.oldest.p99} |`);
  lines.push('', '| search (20 results) | word | scope | results | p50 ms | p99 ms |', '| --- | --- | --- | ---: | ---: | ---: |');
  for (const s of y.search) lines.push(`| ${s.kind} | ${s.word} | ${s.scope} | ${s.results} | ${s.latency.p50} | ${s.latency.p99} |`);
  lines.push('', '| chat.onEvent resume | items before live | resync | live after ms |', '| ---: | ---: | --- | ---: |');
  for (const r of y.resume) lines.push(`| ${r.eventsBack.toLocaleString('en')} events back | ${r.items} | ${r.resync ? 'yes' : 'no'} | ${r.liveMs} |`);
  lines.push('', '| room.list (unread counts) | rooms | rooms with unread | p50 ms | p99 ms |', '| --- | ---: | ---: | ---: | ---: |');
  for (const u of y.unread) lines.push(`| ${u.username} | ${u.rooms} | ${u.unreadRooms} | ${u.latency.p50} | ${u.latency.p99} |`);
  lines.push('', '| table or index | kind | size | rows |', '| --- | --- | ---: | ---: |');
  for (const s of y.sizes) lines.push(`| ${s.name} | ${s.kind} | ${mib(s.bytes)} | ${s.rows === null ? '' : Math.round(s.rows).toLocaleString('en')} |`);
  lines.push('');
  return lines;
}
