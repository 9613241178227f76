import type { NotifyReason } from '../schemas/notification.schema';

/**
 * What a push carries (docs/decisions/148-web-push.md): enough to show the notification and open the
 * message, no more. Encrypted to the browser, so the push service reads none of it; the snippet is
 * short so a notification on a lock screen shows little.
 */
export interface PushPayload {
  v: 1;
  roomId: string;
  messageId: string;
  reason: NotifyReason;
  /** "alice" in a DM, "alice in #general" elsewhere. */
  title: string;
  /** The start of the text, at most SNIPPET_MAX characters. */
  body: string;
}

export const SNIPPET_MAX = 100;

export function pushPayload(input: {
  roomId: string;
  messageId: string;
  reason: PushPayload['reason'];
  author: string;
  room: { kind: string | null; name: string | null };
  text: string;
  attachments: number;
}): PushPayload {
  const where = input.room.kind === 'dm' || !input.room.name ? '' : ` in #${input.room.name}`;
  const line = input.text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  const body = chars.length > SNIPPET_MAX ? `${chars.slice(0, SNIPPET_MAX - 1).join('')}…` : line || (input.attachments > 0 ? 'sent a file' : '');
  return { v: 1, roomId: input.roomId, messageId: input.messageId, reason: input.reason, title: `${input.author}${where}`, body };
}
