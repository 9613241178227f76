import { type ReactNode, useEffect, useId, useRef } from 'react';
import './RoomDialogs.css';

interface Props {
  title: string;
  onClose(): void;
  children(close: () => void): ReactNode;
}

/** A modal for one room action; Escape, Cancel and the action's success all close it. */
export function RoomDialog({ title, onClose, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const closed = useRef(false);
  const titleId = useId();
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  // The parent hears of the close in the same turn: the dialog's `close` event comes a task later, and a
  // key pressed in between (Ctrl+/ right after Escape) would reopen a dialog the parent still thinks open.
  const close = () => {
    dialog.current?.close();
    if (closed.current) return;
    closed.current = true;
    onClose();
  };
  return (
    <dialog
      ref={dialog}
      className="room-dialog glass"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onClose={close}
    >
      <h2 id={titleId}>{title}</h2>
      {children(close)}
    </dialog>
  );
}
