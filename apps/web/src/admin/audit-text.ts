import type { RouterOutputs } from '../api/trpc';

export type AuditEntry = RouterOutputs['admin']['auditLog']['entries'][number];

const minutesText = (minutes: unknown) => {
  const n = typeof minutes === 'number' ? minutes : 0;
  return n % 1440 === 0 ? `${n / 1440} day${n === 1440 ? '' : 's'}` : n % 60 === 0 ? `${n / 60} h` : `${n} min`;
};

/** One audit entry as a sentence: "alice banned bob". The reason is shown beside it. */
export function auditSentence(entry: AuditEntry): string {
  const who = entry.actor?.username ?? 'The command line';
  const whom = entry.target?.username ?? 'someone';
  const d = entry.details ?? {};
  switch (entry.action) {
    case 'ban':
      return `${who} banned ${whom}`;
    case 'unban':
      return `${who} unbanned ${whom}`;
    case 'mute':
      return `${who} muted ${whom} for ${minutesText(d.minutes)}`;
    case 'unmute':
      return `${who} unmuted ${whom}`;
    case 'role':
      return `${who} made ${whom} ${String(d.to ?? 'member')} (was ${String(d.from ?? 'member')})`;
    case 'registration':
      return `${who} set registration to ${String(d.to ?? '?')} (was ${String(d.from ?? '?')})`;
    case 'invite.create':
      return `${who} created an invite for ${String(d.uses ?? 1)} sign-up${d.uses === 1 ? '' : 's'}`;
    case 'invite.revoke':
      return `${who} revoked an invite`;
    case 'room.remove':
      return `${who} removed ${whom} from #${String(d.room ?? '?')}`;
    case 'message.delete':
      return `${who} removed a message of ${whom}${d.room ? ` in #${String(d.room)}` : ''}`;
    case 'message.pin':
      return `${who} pinned a message${d.room ? ` in #${String(d.room)}` : ''}`;
    case 'message.unpin':
      return `${who} unpinned a message${d.room ? ` in #${String(d.room)}` : ''}`;
    case 'report.dismiss':
      return `${who} dismissed a report of ${whom}’s message`;
    case 'report.delete':
      return `${who} removed ${whom}’s reported message`;
    default:
      return `${who}: ${String(entry.action)}${entry.target ? ` ${whom}` : ''}`;
  }
}
