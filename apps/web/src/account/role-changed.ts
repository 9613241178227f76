import type { RoleChangedEvent } from '../api/room-types';
import type { trpc } from '../api/trpc';

/**
 * The server pushed the user's new role: every reader of auth.role (the account menu's
 * "Administration…", a room's moderation actions) shows it now, without a reload or a reopen.
 */
export function roleChanged(utils: ReturnType<typeof trpc.useUtils>, event: RoleChangedEvent): void {
  utils.auth.role.setData(undefined, { role: event.role });
  // Two quick changes may be pushed out of order (each after its own commit): the server's answer settles it.
  void utils.auth.role.invalidate();
}
