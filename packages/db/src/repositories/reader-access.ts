// What a reader may see, as SQL fragments: the one home of the rule (docs/decisions/070, 072, 123).
// Each `?` in a fragment is the reader's user id.

/** Events only their subject sees: their read position, their unread mentions, their thread follow and read mark. */
const OWN_EVENTS = `('read.updated', 'mentions.updated', 'thread.read')`;

/** `reader` (a `?` or a column) is a member of room `room` (a column) now. */
export const memberNow = (room: string, reader = '?') =>
  `exists (select 1 from room_members rn where rn.room_id = ${room} and rn.user_id = ${reader} and rn.left_event_id is null)`;

/** The rooms the reader is a member of now, for `room_id in …` (search: a semi-join the planner keeps cheap). */
export const CURRENT_ROOMS = `(select rc.room_id from room_members rc where rc.user_id = ? and rc.left_event_id is null)`;

/**
 * Event `e` is visible to the reader when it is their own read position or mention count, or when
 * they were a member of its room at its id: joined at or before it, and not left before it (the
 * event that takes them out is still theirs to see). Two `?`.
 */
export const EVENT_VISIBLE = `((e.type in ${OWN_EVENTS} and e.user_id = ?) or (e.type not in ${OWN_EVENTS} and exists (
    select 1 from room_members rm
     where rm.room_id = e.room_id and rm.user_id = ? and rm.joined_event_id <= e.id
       and (rm.left_event_id is null or e.id <= rm.left_event_id))))`;

/**
 * Message `m`'s current state (its text, and the text of the message it quotes) may go to `reader`
 * (a `?` or a column): they are a member of its room now, or they were once and neither message
 * was edited or deleted (or its link preview changed) after their latest membership ended, so the state they get is one their
 * access saw. Only a past member pays for the second part: a scan of the room's events after their
 * end, which a replay's limit (decision 071) bounds.
 */
const stateReadable = (reader: string) => `(${memberNow('m.room_id', reader)} or exists (
    select 1 from (select max(re.left_event_id) as ended from room_members re where re.room_id = m.room_id and re.user_id = ${reader}) access
     where access.ended is not null and not exists (
       select 1 from events x
        where x.room_id = m.room_id and x.id > access.ended and x.type in ('message.edited', 'message.deleted', 'message.preview')
          and x.message_id in (m.id, m.reply_to_id))))`;

/** `stateReadable` for the reader whose id is the two `?`. */
export const STATE_READABLE = stateReadable('?');

/**
 * For event `e` of message `m` (quoting `r`) read with `m`'s state of now (the feed reading a gap,
 * decision 050): the users its room had at `e` who may not read that state, as a text array (null
 * when none). The dispatcher routes `e` by membership at `e`, so they would get it otherwise. Only
 * a state changed since `e` is checked: the times of the append lock (which grow with ids) skip
 * the rest without a scan.
 */
export const HIDDEN_FROM = `case when m.edited_at > e.created_at or m.deleted_at > e.created_at or r.edited_at > e.created_at or r.deleted_at > e.created_at then
    (select array_agg(distinct v.user_id::text) from room_members v
      where v.room_id = m.room_id and v.joined_event_id <= e.id and v.left_event_id >= e.id and not ${stateReadable('v.user_id')}) end`;
