const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const joined = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export const formatTime = (iso: string) => time.format(new Date(iso));
export const formatFull = (iso: string) => full.format(new Date(iso));
export const formatJoined = (iso: string) => joined.format(new Date(iso));

export function formatDay(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (d.toDateString() === now.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return day.format(d);
}
