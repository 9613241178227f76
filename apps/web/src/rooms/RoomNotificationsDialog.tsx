import { DEFAULT_NOTIFICATION_LEVEL, type NotificationLevel, roomChoice, setNotificationScheduleInput, setRoomNotificationInput } from '@chat/api/schemas';
import type { NotificationSettings } from '@chat/api';
import { type FormEvent, useId, useState } from 'react';
import type { Room } from '../api/room-types';
import { trpc } from '../api/trpc';
import { roomErrorMessage } from './room-errors';
import { FormFooter } from '../ui/FormFooter';
import { RoomDialog } from '../ui/RoomDialog';
import './RoomNotificationsDialog.css';

const LEVELS: { level: NotificationLevel; label: string }[] = [
  { level: 'all', label: 'All messages' },
  { level: 'mentions', label: 'Mentions and direct messages' },
  { level: 'nothing', label: 'Nothing' },
];
const MUTES = [
  { value: '0', label: 'Not muted' },
  { value: '3600000', label: 'For 1 hour' },
  { value: '28800000', label: 'For 8 hours' },
  { value: '86400000', label: 'For 24 hours' },
  { value: '604800000', label: 'For a week' },
];

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const minuteOf = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** This room's level and mute, and the quiet hours of every room; stored on the server, so every device follows them. */
export function RoomNotificationsDialog({ room, settings, onClose }: { room: Room; settings: NotificationSettings | null; onClose(): void }) {
  const ids = useId();
  const choice = roomChoice(settings, room.id);
  const mutedUntil = choice?.mutedUntil && Date.parse(choice.mutedUntil) > Date.now() ? choice.mutedUntil : null;
  const [level, setLevel] = useState<NotificationLevel>(choice?.level ?? DEFAULT_NOTIFICATION_LEVEL);
  const [mute, setMute] = useState(mutedUntil ? 'keep' : '0');
  const zone = settings?.schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [quiet, setQuiet] = useState(settings?.schedule !== null && settings?.schedule !== undefined);
  const [start, setStart] = useState(hhmm(settings?.schedule?.startMinute ?? 22 * 60));
  const [end, setEnd] = useState(hhmm(settings?.schedule?.endMinute ?? 7 * 60));
  const [error, setError] = useState<string | null>(null);
  const setRoom = trpc.notifications.setRoom.useMutation();
  const setSchedule = trpc.notifications.setSchedule.useMutation();
  const busy = setRoom.isPending || setSchedule.isPending;

  return (
    <RoomDialog title="Notifications" onClose={onClose}>
      {(close) => {
        const submit = async (e: FormEvent) => {
          e.preventDefault();
          const until = mute === 'keep' ? mutedUntil : mute === '0' ? null : new Date(Date.now() + Number(mute)).toISOString();
          const roomInput = setRoomNotificationInput.safeParse({ roomId: room.id, level, mutedUntil: until });
          const scheduleInput = setNotificationScheduleInput.safeParse({ schedule: quiet ? { startMinute: minuteOf(start), endMinute: minuteOf(end), timeZone: zone } : null });
          if (!roomInput.success || !scheduleInput.success) {
            setError((roomInput.error ?? scheduleInput.error)?.issues[0]?.message ?? 'Check the settings.');
            return;
          }
          setError(null);
          try {
            await setRoom.mutateAsync(roomInput.data);
            const before = settings?.schedule ?? null;
            const after = scheduleInput.data.schedule;
            if (JSON.stringify(before) !== JSON.stringify(after)) await setSchedule.mutateAsync(scheduleInput.data);
            close();
          } catch (err) {
            setError(roomErrorMessage(err));
          }
        };
        return (
          <form onSubmit={(e) => void submit(e)} noValidate className="notification-settings">
            <fieldset className="room-field">
              <legend>Notify me about</legend>
              {LEVELS.map((l) => (
                <label key={l.level} className="notification-choice">
                  <input type="radio" name={`${ids}-level`} value={l.level} checked={level === l.level} onChange={() => setLevel(l.level)} />
                  {l.label}
                  {l.level === DEFAULT_NOTIFICATION_LEVEL && <span className="muted small"> (default)</span>}
                </label>
              ))}
            </fieldset>
            <div className="room-field">
              <label htmlFor={`${ids}-mute`}>Mute this room</label>
              <select id={`${ids}-mute`} value={mute} onChange={(e) => setMute(e.target.value)}>
                {mutedUntil && <option value="keep">Muted until {new Date(mutedUntil).toLocaleString()}</option>}
                {MUTES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="room-field">
              <legend>Do not disturb (every room)</legend>
              <label className="notification-choice">
                <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />
                Every day from
                <input type="time" aria-label="Quiet from" value={start} disabled={!quiet} onChange={(e) => setStart(e.target.value)} />
                to
                <input type="time" aria-label="Quiet until" value={end} disabled={!quiet} onChange={(e) => setEnd(e.target.value)} />
              </label>
              <p className="muted small">Times in {zone}.</p>
            </fieldset>
            <FormFooter error={error} busy={busy} submit="Save" busyLabel="Saving…" onCancel={close} />
          </form>
        );
      }}
    </RoomDialog>
  );
}
