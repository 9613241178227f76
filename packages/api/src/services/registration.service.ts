import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { type InviteView, inviteState, type RegistrationView, toInviteView } from '../admin-shapes';
import { DomainError } from '../errors';
import type { createInviteInput, RegistrationMode } from '../schemas/admin.schema';
import type { UserRef } from '../room-shapes';
import type { CallDeps } from './deps';

const SETTING = 'registration_mode';
/** A fresh install is open: docs/decisions/111-registration-modes.md says why. */
export const DEFAULT_REGISTRATION_MODE: RegistrationMode = 'open';
const INVITES_LISTED = 200;

/** `/?invite=CODE` on the site the admin is using (absolute when the request said where that is). */
export const inviteUrl = (webOrigin: string | null, code: string) => `${webOrigin ?? ''}/?invite=${encodeURIComponent(code)}`;

const isMode = (value: string | null): value is RegistrationMode => value === 'open' || value === 'invite' || value === 'closed';

/** Who may sign up, and the invites that let them (docs/decisions/111-registration-modes.md). */
export function createRegistrationService(call: CallDeps) {
  const { repos } = call;

  const registration = async (): Promise<RegistrationView> => {
    if (call.registrationOverride) return { mode: call.registrationOverride, source: 'env' };
    const stored = await repos.settings.get(SETTING);
    return isMode(stored) ? { mode: stored, source: 'setting' } : { mode: DEFAULT_REGISTRATION_MODE, source: 'default' };
  };

  return {
    registration,

    async setRegistration(actor: UserRef, mode: RegistrationMode): Promise<RegistrationView> {
      if (call.registrationOverride) {
        throw new DomainError('CONFLICT', `REGISTRATION_MODE=${call.registrationOverride} is set on the server and wins over this screen; change it there`);
      }
      const before = await registration();
      await repos.settings.set(SETTING, mode);
      await repos.audit.append({ actor, action: 'registration', target: null, details: { from: before.mode, to: mode } });
      return { mode, source: 'setting' };
    },

    /** Why a sign-up without a usable invite is refused in this mode; null when it may go on. */
    async refusalOfSignup(inviteCode: string | undefined): Promise<{ mode: RegistrationMode; refusal: DomainError | null }> {
      const { mode } = await registration();
      if (mode === 'closed') return { mode, refusal: new DomainError('FORBIDDEN', 'Sign-up is closed on this server; ask its admins for an account') };
      if (mode === 'invite' && !inviteCode) {
        return { mode, refusal: new DomainError('FORBIDDEN', 'Sign-up on this server needs an invite; open the invite link an admin gave you') };
      }
      return { mode, refusal: null };
    },

    /** The refusal for an invite that did not admit a sign-up, saying which way it is unusable. */
    async refusalOfInvite(code: string): Promise<DomainError> {
      const invite = await repos.invites.byCode(code);
      const state = invite ? inviteState(invite) : null;
      const why =
        state === 'revoked'
          ? 'This invite was revoked'
          : state === 'used up'
            ? 'This invite has been used up'
            : state === 'expired'
              ? 'This invite has expired'
              : 'This invite code is not valid';
      return new DomainError('FORBIDDEN', `${why}; ask an admin for a new one`);
    },

    async createInvite(actor: UserRef, input: z.output<typeof createInviteInput>, webOrigin: string | null): Promise<InviteView> {
      const code = randomBytes(12).toString('base64url');
      const invite = await repos.invites.createInvite({
        code,
        createdBy: actor.id,
        uses: input.uses,
        expiresAt: new Date(Date.now() + input.expiresInHours * 3600_000),
      });
      await repos.audit.append({ actor, action: 'invite.create', target: null, details: { code, uses: input.uses, expiresInHours: input.expiresInHours } });
      return toInviteView(invite, inviteUrl(webOrigin, code));
    },

    async invites(webOrigin: string | null): Promise<InviteView[]> {
      return (await repos.invites.list(INVITES_LISTED)).map((i) => toInviteView(i, inviteUrl(webOrigin, i.code)));
    },

    async revokeInvite(actor: UserRef, code: string, webOrigin: string | null): Promise<InviteView> {
      const invite = await repos.invites.revoke(code);
      if (!invite) throw new DomainError('NOT_FOUND', 'No invite has this code');
      await repos.audit.append({ actor, action: 'invite.revoke', target: null, details: { code } });
      return toInviteView(invite, inviteUrl(webOrigin, code));
    },
  };
}
