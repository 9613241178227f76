import type { ChatMessage } from '../api/trpc';

/** Ids are int8 as decimal strings: compare by length first, then lexically, no BigInt needed. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One ascending list with each id once, however many overlapping sources fed it. */
export function mergeMessages(...lists: readonly (readonly ChatMessage[])[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const list of lists) for (const message of list) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** The id to resume a subscription after: the newest message seen, or null before any. */
export function latestId(messages: readonly ChatMessage[]): string | null {
  let latest: string | null = null;
  for (const m of messages) if (latest === null || compareIds(m.id, latest) > 0) latest = m.id;
  return latest;
}
