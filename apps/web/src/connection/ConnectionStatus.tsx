import { useEffect, useState } from 'react';
import { useConnectionStatus } from './ConnectionContext';
import { describeStatus } from './connection-status';
import './ConnectionStatus.css';

const ANNOUNCE = {
  connected: 'Chat connected',
  connecting: 'Connecting to the chat',
  reconnecting: 'Connection lost; reconnecting',
  offline: 'Chat offline',
} as const;

/** Always on screen: whether live messages are flowing, and when the next retry is. */
export function ConnectionStatus() {
  const status = useConnectionStatus();
  const [now, setNow] = useState(() => Date.now());
  const counting = status.kind === 'reconnecting' && status.nextRetryAt !== null;

  useEffect(() => {
    if (!counting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [counting, status]);

  return (
    <div className={`connection-status status-${status.kind}`} data-status={status.kind} title={describeStatus(status, now)}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-label">{describeStatus(status, now)}</span>
      {/* Announce changes of state only; a ticking countdown would be read out every second. */}
      <span className="sr-only" role="status">
        {ANNOUNCE[status.kind]}
      </span>
    </div>
  );
}
