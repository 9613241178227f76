import type { ChatMessage } from '../api/trpc';

/** What a message's controls do; one stable object for the whole list, so messages stay memoised. */
export interface MessageActions {
  react(message: ChatMessage, emoji: string, on: boolean): void;
  /** Opens the picker beside `anchor`. */
  pickReaction(message: ChatMessage, anchor: HTMLElement): void;
  reply(message: ChatMessage): void;
  startEdit(messageId: string): void;
  /** Resolves with an error to show, or null once saved. */
  saveEdit(messageId: string, text: string): Promise<string | null>;
  cancelEdit(): void;
  /** Asks first. */
  remove(message: ChatMessage): void;
  /** Scrolls to a message, loading older pages if needed, and highlights it. */
  jumpTo(messageId: string): void;
}
