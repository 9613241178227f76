import { EntityRepository } from '@mikro-orm/postgresql';
import type { MessagePin } from '../entities/message-pin.entity';
import type { EventRecord, MessageRecord } from '../records';
import { type AuditDraft, insertAudit } from './audit.repository';
import { appendEvent, type Exec, execOn, lockedTransaction } from './locked';
import { STATE_JOINS, stateColumns, toMessageState } from './message-state';

/** A pin as `chat.pins` lists it: the message in its current state (without reactions), who pinned it and when. */
export interface PinRecord {
  message: MessageRecord & { roomId: string };
  pinnedBy: { id: string; username: string } | null;
  pinnedAt: Date;
}

export type PinResult =
  | { status: 'ok'; event: EventRecord }
  /** Pinned already: nothing written. */
  | { status: 'already' }
  /** The room holds `max` pins. */
  | { status: 'full' }
  /** Deleted, or not in the room's timeline (a thread-only reply), or gone. */
  | { status: 'unpinnable' };

/** Pinned messages (docs/decisions/154-pinned-messages.md); the caller's right to pin is the service's. */
export class MessagePinRepository extends EntityRepository<MessagePin> {
  private get exec(): Exec {
    return execOn(this.getEntityManager());
  }

  /** The room's pins, newest pin first; a deleted message is never among them (its delete took its pin). */
  async listForRoom(roomId: string, limit: number): Promise<PinRecord[]> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()}, p.room_id, p.pinned_by_id, pu.username as pinned_by_username, extract(epoch from p.pinned_at)::float8 * 1000 as pinned_ms
         from message_pins p join messages m on m.id = p.message_id ${STATE_JOINS} left join users pu on pu.id = p.pinned_by_id
        where p.room_id = ? order by p.pinned_at desc, p.message_id desc limit ?`,
      [roomId, limit],
    );
    return rows.map((r) => ({
      message: { ...toMessageState(r)!, roomId: r.room_id as string },
      pinnedBy: r.pinned_by_id ? { id: r.pinned_by_id as string, username: (r.pinned_by_username as string | null) ?? '' } : null,
      pinnedAt: new Date(Math.floor(Number(r.pinned_ms))),
    }));
  }

  /** How many pins the room has. */
  async countForRoom(roomId: string): Promise<number> {
    const rows = await this.exec<{ n: number }[]>('select count(*)::int as n from message_pins where room_id = ?', [roomId]);
    return rows[0]?.n ?? 0;
  }

  /**
   * Pins `messageId` (of `roomId`) under the append lock with its message.pinned event, at most
   * `max` per room; `audit` (a channel moderator's pin) commits with it.
   */
  async pin(input: { messageId: string; roomId: string; user: { id: string; username: string }; max: number; audit?: AuditDraft }): Promise<PinResult> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const target = await exec<unknown[]>('select 1 from messages where id = ? and room_id = ? and in_room and deleted_at is null', [input.messageId, input.roomId]);
      if (target.length === 0) return { status: 'unpinnable' } as const;
      if ((await exec<unknown[]>('select 1 from message_pins where message_id = ?', [input.messageId])).length > 0) return { status: 'already' } as const;
      const count = await exec<{ n: number }[]>('select count(*)::int as n from message_pins where room_id = ?', [input.roomId]);
      if ((count[0]?.n ?? 0) >= input.max) return { status: 'full' } as const;
      // Whole milliseconds: clients order pins by the time an event carries (an ISO string).
      const inserted = await exec<{ pinned_ms: number }[]>(
        `insert into message_pins (message_id, room_id, pinned_by_id, pinned_at) values (?, ?, ?, date_trunc('milliseconds', clock_timestamp()))
           returning extract(epoch from pinned_at)::float8 * 1000 as pinned_ms`,
        [input.messageId, input.roomId, input.user.id],
      );
      const pinnedAt = new Date(Math.floor(Number(inserted[0]!.pinned_ms))).toISOString();
      const event = await appendEvent(exec, {
        type: 'message.pinned',
        roomId: input.roomId,
        userId: input.user.id,
        actorId: input.user.id,
        messageId: input.messageId,
        payload: { pinnedBy: { id: input.user.id, username: input.user.username }, pinnedAt },
      });
      if (input.audit) await insertAudit(exec, input.audit);
      return { status: 'ok', event } as const;
    });
  }

  /** Unpins `messageId` with its message.unpinned event; null when it was not pinned. */
  async unpin(input: { messageId: string; roomId: string; user: { id: string; username: string }; audit?: AuditDraft }): Promise<EventRecord | null> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const removed = await exec<unknown[]>('delete from message_pins where message_id = ? and room_id = ? returning 1', [input.messageId, input.roomId]);
      if (removed.length === 0) return null;
      const event = await appendEvent(exec, {
        type: 'message.unpinned',
        roomId: input.roomId,
        userId: input.user.id,
        actorId: input.user.id,
        messageId: input.messageId,
        payload: { by: { id: input.user.id, username: input.user.username } },
      });
      if (input.audit) await insertAudit(exec, input.audit);
      return event;
    });
  }
}
