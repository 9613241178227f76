interface ReactionLike {
  emoji: string;
  count: number;
  users: readonly { id: string; username: string }[];
}

/** "alice, bob and 3 others": who reacted, the viewer as "you", the rest counted (the API lists the first 20). */
export function reactorsText({ count, users }: ReactionLike, meId: string): string {
  const names = users.map((u) => (u.id === meId ? 'you' : u.username));
  const others = count - names.length;
  if (others > 0) return `${names.join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}`;
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The pill's accessible name and tooltip. */
export const reactionLabel = (r: ReactionLike, meId: string) => `${r.emoji} ${r.count}: ${reactorsText(r, meId)}`;
