import { EntityRepository } from '@mikro-orm/postgresql';
import type { MessageReaction } from '../entities/message-reaction.entity';
import type { EventRecord, ReactionRecord } from '../records';
import { type EventRow, SELECT_INSERTED_EVENTS, toEventRecord } from './event-rows';
import { lockedTransaction } from './locked';
import { REACTION_USERS_SHOWN, REACTIONS_COLUMN } from './message-state';
import { EVERYONE_ROOM_ID } from './room.repository';

export type ReactResult =
  | { status: 'ok'; roomId: string; reactions: ReactionRecord[]; event: EventRecord | null }
  | { status: 'not-found' | 'deleted' | 'too-many' };

export class MessageReactionRepository extends EntityRepository<MessageReaction> {
  /**
   * Sets `userId`'s reaction with `emoji` on or off under the append lock, with a reaction.changed
   * event carrying that emoji's state after it; no event when it already was so. A new emoji is
   * refused past `maxEmoji` distinct ones on the message. Three statements under the lock (the
   * target with its emoji count, the change, the event with the answer's reactions): the lock is
   * the deployment's one serial section, so every round trip in it counts (decision 175).
   */
  async react(input: { messageId: string; userId: string; emoji: string; on: boolean; maxEmoji: number }): Promise<ReactResult> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const target = await exec<{ room_id: string; deleted: boolean; has: boolean; kinds: number }[]>(
        `select m.room_id, m.deleted_at is not null as deleted,
                ${input.on ? `exists (select 1 from message_reactions where message_id = m.id and emoji = ?) as has, (select count(distinct emoji)::int from message_reactions where message_id = m.id) as kinds` : 'true as has, 0 as kinds'}
           from messages m where m.id = ? and (m.room_id = '${EVERYONE_ROOM_ID}'
           or exists (select 1 from room_members rm where rm.room_id = m.room_id and rm.user_id = ? and rm.left_event_id is null))`,
        [...(input.on ? [input.emoji] : []), input.messageId, input.userId],
      );
      const roomId = target[0]?.room_id;
      if (!roomId) return { status: 'not-found' };
      if (target[0]!.deleted) return { status: 'deleted' };
      if (!target[0]!.has && target[0]!.kinds >= input.maxEmoji) return { status: 'too-many' };
      const changed = input.on
        ? await exec<{ emoji_order: string }[]>(
            // The emoji keeps the place of its current run; a new run takes this reaction's id (goes last).
            `with n as (select nextval(pg_get_serial_sequence('message_reactions', 'id')) as id)
             insert into message_reactions (id, message_id, user_id, emoji, created_at, emoji_order)
             select n.id, ?, ?, ?, clock_timestamp(), coalesce((select min(emoji_order) from message_reactions where message_id = ? and emoji = ?), n.id) from n
               on conflict (message_id, user_id, emoji) do nothing returning emoji_order::text as emoji_order`,
            [input.messageId, input.userId, input.emoji, input.messageId, input.emoji],
          )
        : await exec<{ emoji_order: string }[]>('delete from message_reactions where message_id = ? and user_id = ? and emoji = ? returning emoji_order::text as emoji_order', [
            input.messageId,
            input.userId,
            input.emoji,
          ]);
      if (changed.length === 0) {
        const rows = await exec<{ reactions: ReactionRecord[] | null }[]>(`select ${REACTIONS_COLUMN} from messages m where m.id = ?`, [input.userId, input.messageId]);
        return { status: 'ok', roomId, reactions: rows[0]?.reactions ?? [], event: null };
      }
      // The emoji's state after the change (this statement sees the one before it), the event carrying
      // it, and the message's reactions for the answer, in one round trip. `order`: the emoji's place,
      // stored so a replay carries it (a removal keeps the place it had).
      const rows = await exec<(EventRow & { reactions: ReactionRecord[] | null })[]>(
        `with state as (
           select count(*)::int as count,
                  coalesce(to_jsonb((array_agg(jsonb_build_object('id', u.id, 'username', u.username) order by x.id))[1:${REACTION_USERS_SHOWN}]), '[]'::jsonb) as users
             from message_reactions x join users u on u.id = x.user_id where x.message_id = ? and x.emoji = ?
         ),
         inserted as (
           insert into events (type, room_id, user_id, message_id, payload, created_at)
           select 'reaction.changed', ?, me.id, ?,
                  jsonb_build_object('emoji', ?::text, 'count', state.count, 'users', state.users, 'user', jsonb_build_object('id', me.id, 'username', me.username), 'on', ?::boolean, 'order', ?::text),
                  clock_timestamp()
             from state, users me where me.id = ?
           returning *
         )
         select ev.*, r.reactions from (${SELECT_INSERTED_EVENTS}) ev, lateral (select ${REACTIONS_COLUMN} from messages m where m.id = ?) r`,
        [input.messageId, input.emoji, roomId, input.messageId, input.emoji, input.on, changed[0]!.emoji_order, input.userId, input.userId, input.messageId],
      );
      return { status: 'ok', roomId, reactions: rows[0]!.reactions ?? [], event: toEventRecord(rows[0]!) };
    });
  }
}
