/**
 * A group DM's name for `viewerId` (docs/decisions/153): the other members' usernames, or the
 * viewer's own when alone in it. The server names rooms with it, and the client core renames a
 * group with it when a member's username changes (an account deleted), so both agree.
 */
export const groupName = (members: readonly { id: string; username: string }[], viewerId: string) =>
  members
    .filter((m) => m.id !== viewerId)
    .map((m) => m.username)
    .join(', ') || (members.find((m) => m.id === viewerId)?.username ?? '');
