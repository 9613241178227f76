import type { z } from 'zod';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../errors';
import { checkEndpoint } from '../push/push-delivery';
import type { pushFocusInput, pushSubscribeInput, pushUnsubscribeInput } from '../schemas/notification.schema';
import type { CallDeps } from './deps';

const pushOff = () => new DomainError('NOT_FOUND', 'Push notifications are not set up on this server');

/** Web Push subscriptions of a user's devices, and what the devices look at (docs/decisions/148, 150). */
export function createPushService(call: CallDeps) {
  return {
    /** The VAPID public key browsers subscribe with; null when push is off. */
    publicKey(): { publicKey: string | null } {
      return { publicKey: call.webPush?.publicKey ?? null };
    },

    /** Stores this device's subscription, tied to the caller's session (logging out removes it). */
    async subscribe(user: AuthUser, input: z.output<typeof pushSubscribeInput>): Promise<{ subscribed: true }> {
      const push = call.webPush;
      if (!push) throw pushOff();
      await call.limits.consumeNotificationWrite(user.userId);
      if (!checkEndpoint(input.endpoint, push.network)) throw new DomainError('BAD_REQUEST', 'The push endpoint must be an https URL of a public push service');
      const saved = await call.repos.pushSubscriptions.save({ userId: user.userId, sessionId: user.sessionId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth });
      if (!saved) throw new DomainError('UNAUTHORIZED', 'Your session has ended; log in again');
      return { subscribed: true };
    },

    /** Removes the caller's subscription at `endpoint` (another user's is left alone: false). */
    async unsubscribe(user: AuthUser, input: z.output<typeof pushUnsubscribeInput>): Promise<{ removed: boolean }> {
      await call.limits.consumeNotificationWrite(user.userId);
      return { removed: await call.repos.pushSubscriptions.removeOwn(user.userId, input.endpoint) };
    },

    /**
     * This device's focused tab shows `roomId` (null: none). Nothing is stored: every instance keeps it
     * from the bus for a minute and a half, and the user's other devices hear it (focus.changed).
     * Membership is not checked: the report only ever silences the caller's own notifications.
     */
    async focus(user: AuthUser, input: z.output<typeof pushFocusInput>): Promise<null> {
      await call.limits.consumeFocusReport(user.userId);
      call.bus.publish({ type: 'focus', userId: user.userId, sessionId: user.sessionId, roomId: input.roomId, at: Date.now() });
      return null;
    },
  };
}
