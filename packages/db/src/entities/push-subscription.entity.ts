import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PushSubscriptionRepository } from '../repositories/push-subscription.repository';
import { Session } from './session.entity';
import { User } from './user.entity';

/**
 * One browser's Web Push subscription (docs/decisions/148-web-push.md). Tied to the session that
 * made it: revoking the session (logout, ban, password change) deletes it.
 */
export const PushSubscription = defineEntity({
  name: 'PushSubscription',
  tableName: 'push_subscriptions',
  repository: () => PushSubscriptionRepository,
  properties: (p) => ({
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index('push_subscriptions_user_id_index'),
    session: () => p.manyToOne(Session).deleteRule('cascade').index('push_subscriptions_session_id_index'),
    /** The push service's URL for this browser: unique, a browser re-subscribing replaces its row. */
    endpoint: p.text().unique('push_subscriptions_endpoint_unique'),
    /** The browser's P-256 public key and auth secret (base64url), which the payload is encrypted to. */
    p256dh: p.string().length(128),
    auth: p.string().length(64),
    createdAt: p.datetime(),
  }),
});

export type PushSubscription = InferEntity<typeof PushSubscription>;
