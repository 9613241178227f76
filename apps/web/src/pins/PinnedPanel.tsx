import type { Pin } from '@chat/api';
import { formatFull, formatTime } from '../text/format-time';
import { plainText } from '../text/message-markdown';
import '../threads/Threads.css';

interface Props {
  roomName: string;
  pins: readonly Pin[] | null;
  onOpen(pin: Pin): void;
  onClose(): void;
}

/** The open room's pinned messages, newest pin first; a click shows the message in its place (a sheet on a phone). */
export function PinnedPanel({ roomName, pins, onOpen, onClose }: Props) {
  return (
    <section className="threads-view pinned-panel glass" aria-label={`Pinned in ${roomName}`} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <header className="thread-header">
        <h2 className="thread-title">Pinned</h2>
        <button type="button" className="icon-button" aria-label="Close pinned messages" onClick={onClose}>
          ×
        </button>
      </header>
      {!pins ? (
        <p className="muted small" aria-busy="true">
          Loading pinned messages…
        </p>
      ) : pins.length === 0 ? (
        <p className="muted small">Nothing pinned yet. Pin a message from its actions and it shows here for everyone in the room.</p>
      ) : (
        <ul className="threads-list" aria-label="Pinned messages">
          {pins.map((pin) => (
            <li key={pin.message.id}>
              <button type="button" className="threads-item" onClick={() => onOpen(pin)}>
                <span className="threads-item-room muted small">{pin.message.author.username}</span>
                <span className="threads-item-text">{plainText(pin.message.text).slice(0, 200) || (pin.message.attachments?.length ? 'A file' : '')}</span>
                <span className="threads-item-meta small">
                  Pinned by {pin.pinnedBy?.username ?? 'someone'}{' '}
                  <time dateTime={pin.pinnedAt} title={formatFull(pin.pinnedAt)}>
                    at {formatTime(pin.pinnedAt)}
                  </time>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
