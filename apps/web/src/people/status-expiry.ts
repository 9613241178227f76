// When a status stops showing, as Slack offers it: a fixed while, the end of the day or of the week
// where the user is, or never.

export const EXPIRY_CHOICES = [
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: 'today', label: 'Today' },
  { value: 'week', label: 'This week' },
  { value: 'never', label: 'Don’t clear' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/** The ISO time a status set `now` with `choice` ends, or null for never. "Today" and "this week" are local (the week ends on Sunday night). */
export function statusExpiry(choice: ExpiryChoice, now: Date = new Date()): string | null {
  switch (choice) {
    case '30m':
      return new Date(now.getTime() + 30 * 60_000).toISOString();
    case '1h':
      return new Date(now.getTime() + 60 * 60_000).toISOString();
    case 'today': {
      const end = new Date(now);
      end.setHours(24, 0, 0, 0);
      return end.toISOString();
    }
    case 'week': {
      const end = new Date(now);
      // getDay: Sunday 0 … Saturday 6; the week ends at the midnight that starts Monday.
      end.setDate(end.getDate() + ((8 - end.getDay()) % 7 || 7));
      end.setHours(0, 0, 0, 0);
      return end.toISOString();
    }
    case 'never':
      return null;
  }
}

/** Whether a status with this expiry shows at `now` (the server also stops sending it once it has passed). */
export const statusShows = (status: { expiresAt?: string } | undefined, now: number = Date.now()): boolean =>
  status !== undefined && (status.expiresAt === undefined || Date.parse(status.expiresAt) > now);

/** "14:05" where `timeZone` is, or null when the browser does not know the zone. */
export function localTime(timeZone: string, now: Date = new Date()): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone }).format(now);
  } catch {
    return null;
  }
}
