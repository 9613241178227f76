import { USERNAME_MAX, USERNAME_MIN } from '../schemas/auth.schema';

/** Words looked up as possible mentions; a message naming more is not worth more queries. */
const MAX_CANDIDATES = 100;

// "@" not preceded by a name character (so "me@example.com" names nobody), then a username.
const MENTION = new RegExp(`(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{${USERNAME_MIN},${USERNAME_MAX}})`, 'g');

/**
 * The `@username` words of `text`, lower-cased, with the position of their word: each as written
 * and, when it ends in "." or "-" (the end of a sentence), without them. The repository keeps
 * those that are members of the room.
 */
export function mentionNames(text: string): { name: string; position: number }[] {
  const names: { name: string; position: number }[] = [];
  for (const match of text.matchAll(MENTION)) {
    if (names.length >= MAX_CANDIDATES) break;
    const word = match[1]!.toLowerCase();
    names.push({ name: word, position: match.index });
    const trimmed = word.replace(/[.-]+$/, '');
    if (trimmed !== word && trimmed.length >= USERNAME_MIN) names.push({ name: trimmed, position: match.index });
  }
  return names;
}
