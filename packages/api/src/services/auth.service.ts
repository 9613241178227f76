import { deviceLabel } from '../auth/device-label';
import { passwordProblem } from '../auth/password-policy';
import { publishEvents } from '../events/publish';
import type { SessionRecord } from '@chat/db';
import type { AuthUser } from '../auth/auth-user';
import type { SignupInput } from '../auth/password-policy';
import type { ChangePasswordInput, CredentialsInput, DeleteAccountInput } from '../schemas/auth.schema';
import { deleteAccount } from './account-deletion';
import { AccountBannedError, DomainError } from '../errors';
import type { Role } from '../schemas/admin.schema';
import { type AuthResult, type DeviceSession, type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';
import { refusalOfNewUsername } from './new-username';
import { createRegistrationService } from './registration.service';

const WRONG_CREDENTIALS = 'Wrong username or password';
const SESSION_OVER = 'Your session has ended (logged out, expired or replaced); log in again';

type UserRow = { id: string; username: string; createdAt: Date };

/** The session's device label (docs/decisions/156): fixed words only; null when the call came without a header (a socket). */
const deviceOf = (userAgent: string | undefined) => (userAgent === undefined ? null : deviceLabel(userAgent));

/** What a banned account is told at login (and by every request its old tokens make). */
export const bannedRefusal = (reason: string | null) => new AccountBannedError(reason);

export function createAuthService(call: CallDeps) {
  const { repos, passwords, tokens, limits, sessionView, sessionLifetimeSeconds, bus } = call;
  const sign = async (user: UserRow, session: SessionRecord): Promise<AuthResult> => ({
    token: await tokens.sign(user, session),
    user: toPublicUser(user),
  });
  /** A password was just checked: a new session, with its absolute end counted from now; none for a banned account. */
  const issue = async (user: UserRow, device: string | null): Promise<AuthResult> => {
    const session = await repos.sessions.start({ userId: user.id, expiresAt: new Date(Date.now() + sessionLifetimeSeconds * 1000), device });
    if (!session) throw bannedRefusal((await repos.users.standingById(user.id))?.banReason ?? null);
    return sign(user, session);
  };
  const existingUser = async (userId: string) => {
    const user = await repos.users.findRecordById(userId);
    if (!user) throw new DomainError('UNAUTHORIZED', 'This account no longer exists; sign up again');
    return user;
  };

  return {
    /** `userAgent`: the HTTP request's header, made into the session's device label; absent over a socket (decision 122 keeps no header). */
    async signup({ username, password, inviteCode }: SignupInput, ip: string, userAgent?: string): Promise<AuthResult> {
      await limits.consumeSignup(ip);
      const registration = createRegistrationService(call);
      // Open mode ignores a code: the link still works after an admin opens sign-up.
      const { mode, refusal: closed } = await registration.refusalOfSignup(inviteCode);
      if (closed) throw closed;
      const refusal = refusalOfNewUsername(username);
      if (refusal) throw refusal;
      const taken = () => new DomainError('CONFLICT', `The username "${username}" is taken; pick another one`);
      const lookAlike = () => new DomainError('CONFLICT', `The username "${username}" is too similar to an existing name; pick another one`);
      // Asked again after a lost race, to say which of the two unique indexes refused the name.
      const blocker = async () => ((await repos.users.findCredentials(username)) ? taken() : (await repos.users.hasLookAlike(username)) ? lookAlike() : null);
      // Checked before hashing so a taken name costs no argon2 work; the unique indexes still decide races.
      const early = await blocker();
      if (early) throw early;
      const passwordHash = await passwords.hash(password, ip);
      let user;
      if (mode === 'invite' && inviteCode) {
        const invited = await repos.invites.signUp(inviteCode, { username, passwordHash });
        if ('refused' in invited) throw invited.refused === 'invite' ? await registration.refusalOfInvite(inviteCode) : ((await blocker()) ?? taken());
        user = invited.user;
      } else {
        user = await repos.users.insertIfUsernameFree({ username, passwordHash });
      }
      if (!user) throw (await blocker()) ?? taken();
      // Right after the account: every account is a member of #everyone (docs/decisions/072).
      publishEvents(bus, [await repos.rooms.joinEveryone(user.id)]);
      return issue(user, deviceOf(userAgent));
    },

    async login({ username, password }: CredentialsInput, ip: string, userAgent?: string): Promise<AuthResult> {
      // Counted as a failure before any hashing, so parallel guesses cannot outrun the limit; a blocked
      // attacker costs a lookup, not an argon2 run.
      const attempt = await limits.reserveLogin(username, ip);
      let credentials: Awaited<ReturnType<typeof repos.users.findCredentials>>;
      let ok: boolean;
      try {
        credentials = await repos.users.findCredentials(username);
        ok = credentials ? await passwords.verify(credentials.passwordHash, password, ip) : await passwords.verifyNothing(password, ip);
      } catch (error) {
        await attempt.cancel();
        throw error;
      }
      if (!credentials || !ok) throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS);
      await attempt.succeeded();
      // A banned account is told so only after its password was right: nobody else learns it.
      return issue(credentials.user, deviceOf(userAgent));
    },

    /**
     * Rotates the session's token: the one presented keeps working only for the rotation grace.
     * Presented again within the grace (a lost answer retried, two tabs racing), it gets the
     * newest token again instead of another rotation. Never extends the session's absolute end.
     */
    async refresh(caller: AuthUser): Promise<AuthResult> {
      await limits.consumeTokenRefresh(caller.userId);
      const user = await existingUser(caller.userId);
      const rotated = await repos.sessions.rotate(caller.sessionId, caller.tokenId);
      if (rotated) {
        sessionView.rotated(rotated);
        return sign(user, rotated);
      }
      const session = await repos.sessions.findById(caller.sessionId);
      if (!session || !sessionView.judge(session, caller)) throw new DomainError('UNAUTHORIZED', SESSION_OVER);
      return sign(user, session);
    },

    /** Ends this session (every token refreshed from it), and its sockets on every instance. */
    async logout(caller: AuthUser): Promise<null> {
      await repos.sessions.revoke(caller.sessionId);
      sessionView.revoked([caller.sessionId]);
      return null;
    },

    /** Ends every session of this user, this one included, and their sockets on every instance. */
    async logoutEverywhere(caller: AuthUser): Promise<{ endedSessions: number }> {
      const ended = await repos.sessions.revokeAllOfUser(caller.userId, null);
      sessionView.revoked(ended);
      return { endedSessions: ended.length };
    },

    /** The caller's live sessions with the device each started on; `current` marks the caller's (docs/decisions/156). */
    async sessions(caller: AuthUser): Promise<DeviceSession[]> {
      const live = await repos.sessions.liveOfUser(caller.userId);
      return live.map((s) => ({
        id: s.id,
        device: s.device ?? 'Unknown device',
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        current: s.id === caller.sessionId,
      }));
    },

    /** Ends one of the caller's sessions and its sockets on every instance, as its own logout would. */
    async revokeSession(caller: AuthUser, { sessionId }: { sessionId: string }): Promise<null> {
      await limits.consumeAccountWrite(caller.userId);
      if (!(await repos.sessions.revokeOfUser(caller.userId, sessionId))) throw new DomainError('NOT_FOUND', 'No such session: it has ended already');
      sessionView.revoked([sessionId]);
      return null;
    },

    /**
     * Needs the current password (a stolen token alone cannot take the account over), counted
     * like a login against guessing. Ends every other session; this one stays.
     */
    async changePassword(caller: AuthUser, { currentPassword, newPassword }: ChangePasswordInput, ip: string): Promise<{ endedSessions: number }> {
      const credentials = await repos.users.findCredentialsById(caller.userId);
      if (!credentials) throw new DomainError('UNAUTHORIZED', 'This account no longer exists; sign up again');
      const { username } = credentials.user;
      // The new password meets the sign-up policy; refused before any hashing.
      const problem = passwordProblem(newPassword, username);
      if (problem) throw new DomainError('BAD_REQUEST', problem);
      const attempt = await limits.reserveLogin(username, ip);
      let ok: boolean;
      try {
        ok = await passwords.verify(credentials.passwordHash, currentPassword, ip);
      } catch (error) {
        await attempt.cancel();
        throw error;
      }
      // Not UNAUTHORIZED: the token is fine, and clients treat that code as "log in again".
      if (!ok) throw new DomainError('FORBIDDEN', 'Your current password is wrong');
      await attempt.succeeded();
      await repos.users.updatePasswordHash(caller.userId, await passwords.hash(newPassword, ip));
      const ended = await repos.sessions.revokeAllOfUser(caller.userId, caller.sessionId);
      sessionView.revoked(ended);
      return { endedSessions: ended.length };
    },

    /** Deletes the caller's account, files and messages (docs/decisions/144-account-deletion.md). */
    deleteAccount(caller: AuthUser, input: DeleteAccountInput, ip: string): Promise<null> {
      return deleteAccount(call, caller, input, ip);
    },

    async me(userId: string): Promise<PublicUser> {
      return toPublicUser(await existingUser(userId));
    },

    /** The caller's server-wide role: the web shows the admin screen to admins and owners only. */
    async role(userId: string): Promise<{ role: Role }> {
      return { role: (await repos.users.standingById(userId))?.role ?? 'member' };
    },
  };
}
