import { type RefObject, useEffect } from 'react';

/** A touch screen's keyboard would cover half the room if the composer took focus by itself. */
const typesOnScreen = () => window.matchMedia?.('(pointer: coarse)').matches ?? false;

/** Opening a room (and loading the app) puts the caret in its composer, as Slack and Discord do; not on touch screens. */
export function useComposerFocusOnOpen(roomId: string | null, composer: RefObject<HTMLTextAreaElement | null>) {
  useEffect(() => {
    if (!roomId || typesOnScreen()) return;
    // A dialog opened meanwhile keeps the focus it took.
    if (document.querySelector('dialog[open]')) return;
    composer.current?.focus({ preventScroll: true });
  }, [roomId, composer]);
}
