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
  const titleId = useId();
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="room-dialog glass" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children(() => dialog.current?.close())}
    </dialog>
  );
}
