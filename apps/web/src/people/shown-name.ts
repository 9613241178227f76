/** The name to show for a user: their display name when they chose one, else the username. */
export const shownName = (user: { username: string; displayName?: string }) => user.displayName ?? user.username;
