/** The name to show for a user: their display name when they chose one, else the username. */
export const shownName = (user: { username: string; displayName?: string }) => user.displayName ?? user.username;

/**
 * Typing and presence name users by username only: each gets the display name of the same user among
 * `known` (rooms' peers and members, as the core keeps them current on user.updated), so they read as
 * the sidebar and the messages do. The same array when nobody is renamed.
 */
export function withDisplayNames<T extends { id: string; displayName?: string }>(users: readonly T[], known: readonly { id: string; displayName?: string }[]): readonly T[] {
  if (!users.length || !known.length) return users;
  const names = new Map(known.flatMap((k) => (k.displayName ? [[k.id, k.displayName] as const] : [])));
  if (!users.some((u) => names.has(u.id))) return users;
  return users.map((u) => (names.has(u.id) ? { ...u, displayName: names.get(u.id)! } : u));
}
