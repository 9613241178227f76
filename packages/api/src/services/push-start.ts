import { repositoriesFor } from '@chat/db';
import { pushPayload } from '../push/push-payload';
import { NOTIFY_TRIGGERS, notificationAllowed, type NotifyReason, triggerReasons, type TriggerMessage } from '../schemas/notification.schema';
import type { ChatMessage } from '../shapes';
import type { ApiDeps } from './deps';

// Web Push after a send (docs/decisions/148-web-push.md): who hears about a message is chosen after it
// is stored and answered, outside its transaction, and the pushes go out from the background sender.

/**
 * Starts the pushes for a new message (a thread reply: `threadRootId`, whose followers hear of it).
 * Returns at once: the send's answer never waits for a push service.
 */
export function startPushes(deps: ApiDeps, message: ChatMessage & { roomId: string }, thread?: { rootId: string }): void {
  const push = deps.webPush;
  if (!push) return;
  push.track(
    (async () => {
      // Its own EntityManager fork: the call that started it has answered and may be gone.
      const repos = repositoriesFor(deps.orm.em.fork());
      const room = await repos.notificationSettings.roomSummary(message.roomId);
      if (!room) return;
      const trigger: TriggerMessage = { authorId: message.author.id, roomKind: room.kind, mentionIds: (message.mentions ?? []).map((u) => u.id) };
      if (thread) trigger.threadFollowerIds = await repos.threads.followerIds(thread.rootId);
      const lists = NOTIFY_TRIGGERS.map((t) => t.names(trigger));
      const wholeRoom = lists.includes('room');
      const candidates = [...new Set(lists.flatMap((n) => (n === 'room' ? [] : n)))];
      const audience = await repos.notificationSettings.audience(message.roomId, message.author.id, candidates, wholeRoom);
      const now = new Date();
      const chosen = new Map<string, NotifyReason>();
      for (const member of audience) {
        const reasons = triggerReasons(trigger, member.userId);
        if (member.level === 'all') reasons.push('message');
        const schedule = member.schedule && { startMinute: member.schedule.dndStartMinute, endMinute: member.schedule.dndEndMinute, timeZone: member.schedule.timeZone };
        if (!notificationAllowed(member, schedule, reasons, now)) continue;
        // Looking at the room on some device: that device shows it, the others stay quiet (docs/decisions/150).
        if (deps.focus.isWatching(member.userId, message.roomId, now.getTime())) continue;
        chosen.set(member.userId, reasons[0]!);
      }
      if (chosen.size === 0) return;
      const subscriptions = await repos.pushSubscriptions.ofUsers([...chosen.keys()]);
      push.sender.send(
        subscriptions.map((subscription) => ({
          subscription,
          payload: pushPayload({
            roomId: message.roomId,
            messageId: message.id,
            reason: chosen.get(subscription.userId)!,
            author: message.author.username,
            room,
            text: message.text,
            attachments: message.attachments?.length ?? 0,
          }),
        })),
      );
    })().catch(deps.onBackgroundError),
  );
}
