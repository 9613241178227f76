import { EntityRepository } from '@mikro-orm/postgresql';
import type { MessageReaction } from '../entities/message-reaction.entity';
import type { EventRecord, ReactionRecord, UserRefRecord } from '../records';
import { appendEvent, lockedTransaction } from './locked';
import { REACTION_USERS_SHOWN, REACTIONS_COLUMN } from './message-state';
import { EVERYONE_ROOM_ID } from './room.repository';

export type ReactResult =
  | { status: 'ok'; roomId: string; reactions: ReactionRecord[]; event: EventRecord | null }
  | { status: 'not-found' | 'deleted' | 'too-many' };

export class MessageReactionRepository extends EntityRepository<MessageReaction> {
  /**
   * Sets `userId`'s reaction with `emoji` on or off under the append lock, with a reaction.changed
   * event carrying that emoji's state after it; no event when it already was so. A new emoji is
   * refused past `maxEmoji` distinct ones on the message.
   */
  async react(input: { messageId: string; userId: string; emoji: string; on: boolean; maxEmoji: number }): Promise<ReactResult> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const target = await exec<{ room_id: string; deleted: boolean }[]>(
        `select m.room_id, m.deleted_at is not null as deleted from messages m where m.id = ? and (m.room_id = '${EVERYONE_ROOM_ID}'
           or exists (select 1 from room_members rm where rm.room_id = m.room_id and rm.user_id = ? and rm.left_event_id is null))`,
        [input.messageId, input.userId],
      );
      const roomId = target[0]?.room_id;
      if (!roomId) return { status: 'not-found' };
      if (target[0]!.deleted) return { status: 'deleted' };
      let changed: { emoji_order: string }[];
      if (input.on) {
        const known = await exec<{ has: boolean; kinds: number }[]>(
          'select bool_or(emoji = ?) as has, count(distinct emoji)::int as kinds from message_reactions where message_id = ?',
          [input.emoji, input.messageId],
        );
        if (!known[0]?.has && (known[0]?.kinds ?? 0) >= input.maxEmoji) return { status: 'too-many' };
        changed = await exec<{ emoji_order: string }[]>(
          // The emoji keeps the place of its current run; a new run takes this reaction's id (goes last).
          `with n as (select nextval(pg_get_serial_sequence('message_reactions', 'id')) as id)
           insert into message_reactions (id, message_id, user_id, emoji, created_at, emoji_order)
           select n.id, ?, ?, ?, clock_timestamp(), coalesce((select min(emoji_order) from message_reactions where message_id = ? and emoji = ?), n.id) from n
             on conflict (message_id, user_id, emoji) do nothing returning emoji_order::text as emoji_order`,
          [input.messageId, input.userId, input.emoji, input.messageId, input.emoji],
        );
      } else {
        changed = await exec<{ emoji_order: string }[]>('delete from message_reactions where message_id = ? and user_id = ? and emoji = ? returning emoji_order::text as emoji_order', [
          input.messageId,
          input.userId,
          input.emoji,
        ]);
      }
      let event: EventRecord | null = null;
      if (changed.length > 0) {
        const state = await exec<{ count: number; users: UserRefRecord[] | null }[]>(
          `select count(*)::int as count,
                  to_json((array_agg(json_build_object('id', u.id, 'username', u.username) order by x.id))[1:${REACTION_USERS_SHOWN}]) as users
             from message_reactions x join users u on u.id = x.user_id where x.message_id = ? and x.emoji = ?`,
          [input.messageId, input.emoji],
        );
        const user = (await exec<UserRefRecord[]>('select id, username from users where id = ?', [input.userId]))[0]!;
        event = await appendEvent(exec, {
          type: 'reaction.changed',
          roomId,
          userId: input.userId,
          messageId: input.messageId,
          // `order`: the emoji's place, stored so a replay carries it (a removal keeps the place it had).
          payload: { emoji: input.emoji, count: state[0]?.count ?? 0, users: state[0]?.users ?? [], user, on: input.on, order: changed[0]!.emoji_order },
        });
      }
      const rows = await exec<{ reactions: ReactionRecord[] | null }[]>(`select ${REACTIONS_COLUMN} from messages m where m.id = ?`, [input.userId, input.messageId]);
      return { status: 'ok', roomId, reactions: rows[0]?.reactions ?? [], event };
    });
  }
}
