import { USERNAME_MAX } from '@chat/api/schemas';

/** The `@name` being typed at the caret: where it starts (the "@"), where the caret is, and the letters so far. */
export interface MentionQuery {
  start: number;
  end: number;
  query: string;
}

// The server's rule (packages/api/src/messages/mention-names.ts): "@" not after a name character, then name characters.
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const BEFORE_AT = /[A-Za-z0-9_.@-]/;

/** The mention being typed at `caret`, or null: the caret must sit right after "@" and up to USERNAME_MAX name characters. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  let at = caret;
  while (at > 0 && caret - at <= USERNAME_MAX && NAME_CHAR.test(text[at - 1]!)) at--;
  if (at === 0 || text[at - 1] !== '@' || caret - at > USERNAME_MAX) return null;
  const start = at - 1;
  if (start > 0 && BEFORE_AT.test(text[start - 1]!)) return null;
  return { start, end: caret, query: text.slice(at, caret) };
}

/** The text with the typed `@name` replaced by `@username ` and the caret after the space. */
export function insertMention(text: string, mention: MentionQuery, username: string): { text: string; caret: number } {
  const after = text.slice(mention.end);
  const inserted = `@${username}${after.startsWith(' ') ? '' : ' '}`;
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length + (after.startsWith(' ') ? 1 : 0) };
}

/** Names starting with the query first, then names containing it, each alphabetical; case-insensitive. */
export function rankByName<T extends { username: string; displayName?: string }>(users: readonly T[], query: string, limit: number): T[] {
  const q = query.toLowerCase();
  const scoreOf = (name: string) => (name.startsWith(q) ? 0 : name.includes(q) ? 1 : 2);
  // A display name finds the person too ("@Zed"); the mention inserted is still the username.
  const score = (u: T) => Math.min(scoreOf(u.username.toLowerCase()), u.displayName ? scoreOf(u.displayName.toLowerCase()) : 2);
  return users
    .map((u) => ({ u, s: score(u) }))
    .filter((x) => x.s < 2)
    .sort((a, b) => a.s - b.s || a.u.username.localeCompare(b.u.username))
    .slice(0, limit)
    .map((x) => x.u);
}
