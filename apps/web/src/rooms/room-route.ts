import { EVERYONE_ROOM_ID } from '@chat/api/schemas';

/** Room ids are UUIDs; anything else after /r/ is not a room. */
const ROOM_PATH = /^\/r\/([0-9a-fA-F-]{36})\/?$/;

/** The room a URL path names: `/r/<roomId>`; `/` (or any other path) is #everyone; a malformed /r/ link is `invalid`. */
export function roomIdFromPath(pathname: string): string | 'invalid' {
  const match = ROOM_PATH.exec(pathname);
  if (match?.[1]) return match[1].toLowerCase();
  return pathname.startsWith('/r/') ? 'invalid' : EVERYONE_ROOM_ID;
}

/** The shareable path of a room; #everyone lives at the root. */
export const pathForRoom = (roomId: string) => (roomId === EVERYONE_ROOM_ID ? '/' : `/r/${roomId}`);
