import { useEffect, useState } from 'react';
import { type PublicUser, trpc } from '../api/trpc';
import { localTime, statusShows } from './status-expiry';
import { formatJoined } from '../text/format-time';
import { Avatar } from '../ui/Avatar';
import { shownName } from './shown-name';

interface Props {
  user: PublicUser;
  isMe: boolean;
  onMention(user: PublicUser): void;
  /** Opens (or creates) the direct-message room with this person. */
  onMessage(user: PublicUser): void;
  messaging: boolean;
  onClose(): void;
}

/** The minute now, so the local time and a status's expiry follow the clock. */
function useMinute(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function ProfileCard({ user: found, isMe, onMention, onMessage, messaging, onClose }: Props) {
  // The profile as it is now (a status set since the search, or expired); the search's copy meanwhile.
  const fresh = trpc.user.profile.useQuery({ userId: found.id }, { staleTime: 0 }).data;
  const user = fresh ?? found;
  const now = useMinute();
  const status = statusShows(user.status, now) ? user.status : undefined;
  const time = user.timeZone ? localTime(user.timeZone, new Date(now)) : null;
  return (
    <section className="profile-card" aria-label={`Profile of ${user.username}`}>
      <button type="button" className="icon-button profile-close" onClick={onClose} aria-label="Close profile">
        ×
      </button>
      <Avatar name={user.username} user={user} size="lg" />
      <h2 className="profile-name">
        {shownName(user)}
        {isMe && <span className="badge">you</span>}
      </h2>
      {/* Always the unique name: a display name alone could pass for someone else (decision 155). */}
      <p className="profile-username">@{user.username}</p>
      {status && (
        <p className="profile-status">
          {status.emoji && <span aria-hidden="true">{status.emoji} </span>}
          {status.text || (status.emoji ? <span className="sr-only">status {status.emoji}</span> : null)}
        </p>
      )}
      {time && (
        <p className="muted small profile-time">
          <time>{time}</time> local time
        </p>
      )}
      <p className="muted small">
        Joined <time dateTime={user.createdAt}>{formatJoined(user.createdAt)}</time>
      </p>
      <div className="profile-actions">
        {!isMe && (
          <button type="button" className="btn btn-primary" onClick={() => onMessage(user)} disabled={messaging}>
            Message
          </button>
        )}
        <button type="button" className="btn btn-secondary" onClick={() => onMention(user)}>
          Mention @{user.username}
        </button>
      </div>
    </section>
  );
}
