import type { CredentialsInput } from '../schemas/auth.schema';
import { DomainError } from '../errors';
import { type AuthResult, type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';
import { refusalOfNewUsername } from './new-username';

const WRONG_CREDENTIALS = 'Wrong username or password';

export function createAuthService({ repos, passwords, tokens, limits, denyList, bus }: CallDeps) {
  const issue = async (user: { id: string; username: string; createdAt: Date }): Promise<AuthResult> => ({
    token: await tokens.sign(user),
    user: toPublicUser(user),
  });

  return {
    async signup({ username, password }: CredentialsInput, ip: string): Promise<AuthResult> {
      await limits.consumeSignup(ip);
      const refusal = refusalOfNewUsername(username);
      if (refusal) throw refusal;
      const taken = () => new DomainError('CONFLICT', `The username "${username}" is taken; pick another one`);
      const lookAlike = () => new DomainError('CONFLICT', `The username "${username}" is too similar to an existing name; pick another one`);
      // Asked again after a lost race, to say which of the two unique indexes refused the name.
      const blocker = async () => ((await repos.users.findCredentials(username)) ? taken() : (await repos.users.hasLookAlike(username)) ? lookAlike() : null);
      // Checked before hashing so a taken name costs no argon2 work; the unique indexes still decide races.
      const early = await blocker();
      if (early) throw early;
      const user = await repos.users.insertIfUsernameFree({ username, passwordHash: await passwords.hash(password, ip) });
      if (!user) throw (await blocker()) ?? taken();
      return issue(user);
    },

    async login({ username, password }: CredentialsInput, ip: string): Promise<AuthResult> {
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
      return issue(credentials.user);
    },

    /** A fresh token for a still-valid one, so long-lived clients renew before expiry. */
    async refresh(userId: string): Promise<AuthResult> {
      const user = await repos.users.findRecordById(userId);
      if (!user) throw new DomainError('UNAUTHORIZED', 'This account no longer exists; sign up again');
      return issue(user);
    },

    /** Revokes the token used for this call, and closes its sockets on every instance. */
    async logout(user: { tokenId: string; expiresAt: number }): Promise<null> {
      await denyList.revoke(user.tokenId, user.expiresAt);
      bus.publish({ type: 'revoked', tokenId: user.tokenId });
      return null;
    },

    async me(userId: string): Promise<PublicUser> {
      const user = await repos.users.findRecordById(userId);
      if (!user) throw new DomainError('UNAUTHORIZED', 'This account no longer exists; sign up again');
      return toPublicUser(user);
    },
  };
}
