import type { Notifications } from './use-notifications';

/** Asked once, and only by the user's own click: "Turn on" asks the browser, "Not now" stores 'off' (the account menu can turn them on later). */
export function NotificationPrompt({ notifications }: { notifications: Notifications }) {
  if (notifications.choice !== null || notifications.permission === 'unsupported' || notifications.permission === 'denied') return null;
  return (
    <div className="notification-prompt room-notice" role="region" aria-label="Notifications">
      <span>Get a notification when someone mentions you or sends you a direct message?</span>
      <button type="button" className="btn btn-primary btn-small" onClick={() => void notifications.turnOn()}>
        Turn on notifications
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={notifications.turnOff}>
        Not now
      </button>
    </div>
  );
}
