import { sameEmoji } from '@chat/client/core';
import { lazy, Suspense } from 'react';
import { createPortal } from 'react-dom';
import type { ChatMessage } from '../api/trpc';

// The emoji picker (frimousse) loads when first opened, not with the room.
const ReactionPicker = lazy(() => import('./ReactionPicker').then((m) => ({ default: m.ReactionPicker })));

/** The picker opened for one message, beside the button (`anchor`) that opened it. */
export interface OpenPicker {
  message: ChatMessage;
  at: { top: number; left: number };
  anchor: HTMLElement;
}

/** Where the picker opens: beside the button that opened it, above it when there is no room below. */
const PICKER_HEIGHT = 390;
export function pickerPosition(anchor: DOMRect): { top: number; left: number } {
  const width = Math.min(320, window.innerWidth - 24);
  const left = Math.max(12, Math.min(anchor.right - width, window.innerWidth - width - 12));
  const below = anchor.bottom + 6;
  const top = below + PICKER_HEIGHT <= window.innerHeight ? below : Math.max(12, anchor.top - PICKER_HEIGHT - 6);
  return { top, left };
}

interface Props {
  picker: OpenPicker;
  /** Adds (`on`) or takes back the user's reaction. */
  react(message: ChatMessage, emoji: string, on: boolean): void;
  onClose(): void;
}

/** The reaction picker over the page; picking toggles the user's reaction, and focus goes back to the button either way. */
export function ReactionPopover({ picker, react, onClose }: Props) {
  // In <body>: a glass panel (backdrop-filter) would be the fixed picker's containing block and clip it.
  return createPortal(
    <div className="reaction-picker-anchor" style={{ top: picker.at.top, left: picker.at.left }}>
      <Suspense fallback={null}>
        <ReactionPicker
          onPick={(emoji) => {
            const mine = picker.message.reactions?.find((r) => sameEmoji(r.emoji, emoji))?.me ?? false;
            react(picker.message, emoji, !mine);
            onClose();
            picker.anchor.focus();
          }}
          onClose={() => {
            onClose();
            picker.anchor.focus();
          }}
        />
      </Suspense>
    </div>,
    document.body,
  );
}
