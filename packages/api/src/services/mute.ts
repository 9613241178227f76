import { DomainError } from '../errors';
import type { CallDeps } from './deps';

/**
 * docs/decisions/113-bans-and-mutes.md, 124-mute-covers-every-publication.md: a muted member reads but
 * puts no text of theirs in front of others (messages, edits, reactions, room names and topics, invites, new DMs).
 */
export const mutedRefusal = (until: Date) => {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new DomainError('FORBIDDEN', `A moderator muted you until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC (${minutes} min left): you can read but not send`);
};

/** The caller's mute, if one is running now. */
export async function activeMute(call: CallDeps, userId: string): Promise<Date | null> {
  const mutedUntil = (await call.repos.users.standingById(userId))?.mutedUntil;
  return mutedUntil && mutedUntil.getTime() > Date.now() ? mutedUntil : null;
}

/**
 * Refuses any publication but a send (which checks in its append statement) while muted. Read before
 * the change, not under its lock: a mute that commits during the call lets that one change through,
 * as a send just before it would.
 */
export async function refuseIfMuted(call: CallDeps, userId: string): Promise<void> {
  const until = await activeMute(call, userId);
  if (until) throw mutedRefusal(until);
}
