export interface NotifyInput {
  message: { author: { id: string }; mentions?: readonly { id: string }[] | undefined; deleted?: unknown };
  roomKind: 'channel' | 'private' | 'dm' | null;
  meId: string;
  /** The tab is hidden: a visible tab shows the message itself. */
  hidden: boolean;
  /** The user's choice is 'on' and the browser granted the permission. */
  allowed: boolean;
}

/** A new message notifies when it mentions the viewer or comes in a DM, only while the tab is hidden. */
export function shouldNotify({ message, roomKind, meId, hidden, allowed }: NotifyInput): boolean {
  if (!allowed || !hidden || message.author.id === meId || message.deleted) return false;
  return roomKind === 'dm' || (message.mentions ?? []).some((u) => u.id === meId);
}
