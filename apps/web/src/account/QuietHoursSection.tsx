import { setNotificationScheduleInput } from '@chat/api/schemas';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { trpc } from '../api/trpc';

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const minuteOf = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The daily do-not-disturb hours of every room (docs/decisions/149), kept on the server for every device. */
export function QuietHoursSection() {
  const ids = useId();
  const settings = trpc.notifications.get.useQuery(undefined, { staleTime: 0 });
  const setSchedule = trpc.notifications.setSchedule.useMutation();
  const schedule = settings.data?.schedule ?? null;
  const [quiet, setQuiet] = useState(false);
  const [start, setStart] = useState('22:00');
  const [end, setEnd] = useState('07:00');
  const [message, setMessage] = useState<string | null>(null);
  const zone = schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  useEffect(() => {
    if (!settings.data) return;
    setQuiet(schedule !== null);
    if (schedule) {
      setStart(hhmm(schedule.startMinute));
      setEnd(hhmm(schedule.endMinute));
    }
  }, [settings.data, schedule]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    const input = setNotificationScheduleInput.safeParse({ schedule: quiet ? { startMinute: minuteOf(start), endMinute: minuteOf(end), timeZone: zone } : null });
    if (!input.success) return setMessage(input.error.issues[0]?.message ?? 'Check the hours.');
    setSchedule.mutate(input.data, { onSuccess: () => setMessage('Saved.'), onError: (failure) => setMessage(failure.message) });
  };

  return (
    <form className="quiet-hours" onSubmit={save} noValidate>
      <label className="settings-check">
        <input type="checkbox" checked={quiet} disabled={!settings.data} onChange={(e) => setQuiet(e.target.checked)} />
        Do not disturb every day from
      </label>
      <div className="settings-row">
        <input id={`${ids}-from`} type="time" aria-label="Quiet from" value={start} disabled={!quiet} onChange={(e) => setStart(e.target.value)} />
        <span>to</span>
        <input id={`${ids}-until`} type="time" aria-label="Quiet until" value={end} disabled={!quiet} onChange={(e) => setEnd(e.target.value)} />
        <button type="submit" className="btn btn-secondary btn-small" disabled={setSchedule.isPending || !settings.data}>
          Save hours
        </button>
      </div>
      <p className="field-hint">
        Times in {zone}. {message && <span role="status">{message}</span>}
      </p>
    </form>
  );
}
