import type { ChatMessage } from '../api/trpc';

/** What a message's controls do; one stable object for the whole list, so messages stay memoised. */
export interface MessageActions {
  react(message: ChatMessage, emoji: string, on: boolean): void;
  /** Opens the picker beside `anchor`. */
  pickReaction(message: ChatMessage, anchor: HTMLElement): void;
  reply(message: ChatMessage): void;
  /** Opens the message's thread beside the room (optional: a thread's own list has none, threads do not nest). */
  openThread?(message: ChatMessage): void;
  startEdit(messageId: string): void;
  /** Resolves with an error to show, or null once saved. */
  saveEdit(messageId: string, text: string): Promise<string | null>;
  cancelEdit(): void;
  /** Asks first (a moderator removing another's message: with a reason). */
  remove(message: ChatMessage): void;
  /** The author takes the link preview card away (optional: lists without it show no button). */
  removePreview?(message: ChatMessage): void;
  /** Asks for a reason, then tells the server's admins. */
  report(message: ChatMessage): void;
  /** The user moderates this room: they may remove others' messages (decision 110's rule, checked again by the server). */
  canModerate: boolean;
  /** Pins or unpins a message (optional: only where the user may; docs/decisions/154). */
  pin?(message: ChatMessage, on: boolean): void;
  /** Scrolls to a message, loading older pages if needed, and highlights it. */
  jumpTo(messageId: string): void;
}
