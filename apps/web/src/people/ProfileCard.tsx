import type { PublicUser } from '../api/trpc';
import { formatJoined } from '../text/format-time';
import { Avatar } from '../ui/Avatar';

interface Props {
  user: PublicUser;
  isMe: boolean;
  onMention(user: PublicUser): void;
  /** Opens (or creates) the direct-message room with this person. */
  onMessage(user: PublicUser): void;
  messaging: boolean;
  onClose(): void;
}

export function ProfileCard({ user, isMe, onMention, onMessage, messaging, onClose }: Props) {
  return (
    <section className="profile-card" aria-label={`Profile of ${user.username}`}>
      <button type="button" className="icon-button profile-close" onClick={onClose} aria-label="Close profile">
        ×
      </button>
      <Avatar name={user.username} user={user} size="lg" />
      <h2 className="profile-name">
        {user.username}
        {isMe && <span className="badge">you</span>}
      </h2>
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
