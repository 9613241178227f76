import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import type { DeleteAccountInput } from '../schemas/auth.schema';
import type { CallDeps } from './deps';

/** Messages deleted per locked transaction: the append lock is never held for a whole history. */
const PURGE_BATCH = 200;

/**
 * The caller deletes their own account (docs/decisions/144-account-deletion.md), with their password. In order:
 * the row is anonymised and marked deleted (refused for the last owner), so no login or token works from then;
 * every session ends and its sockets close on every instance; every message is deleted as by its author (their
 * files' rows go with them); unsent uploads go; they leave every room. The bytes of all their files and their
 * avatar are erased from the queue the deletes filled, after the commits.
 */
export async function deleteAccount(call: CallDeps, caller: AuthUser, { password }: DeleteAccountInput, ip: string): Promise<null> {
  const { repos } = call;
  await call.limits.consumeAccountDeletion(caller.userId);
  const credentials = await repos.users.findCredentialsById(caller.userId);
  if (!credentials) throw new DomainError('UNAUTHORIZED', 'This account no longer exists');
  const attempt = await call.limits.reserveLogin(credentials.user.username, ip);
  let ok: boolean;
  try {
    ok = await call.passwords.verify(credentials.passwordHash, password, ip);
  } catch (error) {
    await attempt.cancel();
    throw error;
  }
  // Not UNAUTHORIZED: the token is fine, and clients treat that code as "log in again".
  if (!ok) throw new DomainError('FORBIDDEN', 'Your password is wrong; the account was not deleted');
  await attempt.succeeded();

  const marked = await repos.users.markDeleted(caller.userId);
  if (marked.status === 'last-owner') {
    throw new DomainError('FORBIDDEN', 'You are the server’s only owner: make another account an owner first (pnpm user:role), then delete yours');
  }
  if (marked.status === 'not-found') throw new DomainError('UNAUTHORIZED', 'This account no longer exists');
  publishEvents(call.bus, marked.events);
  const ended = await repos.sessions.revokeAllOfUser(caller.userId, null);
  call.sessionView.revoked(ended);

  let purged = 0;
  for (;;) {
    const batch = await repos.messages.purgeAuthor({ authorId: caller.userId, actorId: caller.userId, limit: PURGE_BATCH, by: 'author' });
    publishEvents(call.bus, batch.events);
    purged += batch.messageIds.length;
    if (batch.messageIds.length < PURGE_BATCH) break;
  }
  await repos.attachments.removeUnsentOf(caller.userId);
  const { roomIds } = await repos.events.membershipAt(caller.userId);
  for (const roomId of roomIds) publishEvents(call.bus, await repos.rooms.removeMemberEvents(roomId, caller.userId, null));
  call.fileErasure.kick();
  const self = { id: caller.userId, username: marked.username };
  await repos.audit.append({ actor: self, action: 'account.delete', target: self, details: { endedSessions: ended.length, deletedMessages: purged } });
  return null;
}
