import type { CredentialsInput } from '../schemas/auth.schema';
import { DomainError } from '../errors';
import { type AuthResult, type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';

const WRONG_CREDENTIALS = 'Wrong username or password';

export function createAuthService({ repos, passwords, tokens }: CallDeps) {
  const issue = async (user: { id: string; username: string; createdAt: Date }): Promise<AuthResult> => ({
    token: await tokens.sign(user),
    user: toPublicUser(user),
  });

  return {
    async signup({ username, password }: CredentialsInput): Promise<AuthResult> {
      const taken = () => new DomainError('CONFLICT', `The username "${username}" is taken; pick another one`);
      // Checked before hashing so a taken name costs no argon2 work; the unique index still decides races.
      if (await repos.users.findCredentials(username)) throw taken();
      const user = await repos.users.insertIfUsernameFree({ username, passwordHash: await passwords.hash(password) });
      if (!user) throw taken();
      return issue(user);
    },

    async login({ username, password }: CredentialsInput): Promise<AuthResult> {
      const credentials = await repos.users.findCredentials(username);
      if (!credentials) {
        await passwords.verifyNothing(password);
        throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS);
      }
      if (!(await passwords.verify(credentials.passwordHash, password))) throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS);
      return issue(credentials.user);
    },

    async me(userId: string): Promise<PublicUser> {
      const user = await repos.users.findRecordById(userId);
      if (!user) throw new DomainError('UNAUTHORIZED', 'This account no longer exists; sign up again');
      return toPublicUser(user);
    },
  };
}
