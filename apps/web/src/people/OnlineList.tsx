import { Avatar } from '../ui/Avatar';
import { describeOnlineCount, type OnlineUsers, withMeFirst } from './online-users';
import './OnlineList.css';
import { shownName, withDisplayNames } from './shown-name';

interface Props {
  users: OnlineUsers;
  meId: string;
  /** People whose display names are known (rooms' peers and members): presence names users by username only. */
  known: readonly { id: string; displayName?: string }[];
}

/** Who has the chat open right now, the user first. */
export function OnlineList({ users, meId, known }: Props) {
  return (
    <section className="online-list" aria-labelledby="online-title">
      <div className="online-head">
        {/* On a big server #everyone carries no presence: the list is who shares a smaller room (decision 121). */}
        <h2 id="online-title" className="panel-title" title="Online in your rooms and direct messages">
          Online
        </h2>
        <span className="online-count" data-testid="online-count">
          <span className="online-count-dot" aria-hidden="true" />
          {describeOnlineCount(users.length)}
        </span>
      </div>
      <ul className="online-users" aria-label="People online">
        {withMeFirst(withDisplayNames(users, known), meId).map((user) => (
          <li key={user.id}>
            <Avatar name={shownName(user)} size="sm" online />
            <span className="online-name">{shownName(user)}</span>
            {user.displayName && <span className="online-handle muted small">@{user.username}</span>}
            {user.id === meId && <span className="badge">you</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
