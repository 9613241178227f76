import { type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { checkDraft } from './composer-state';

interface Props {
  text: string;
  /** Resolves with an error to show, or null once saved. */
  onSave(text: string): Promise<string | null>;
  onCancel(): void;
}

/** Editing a message in place: Enter saves, Shift+Enter breaks the line, Escape cancels. */
export function MessageEditor({ text, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState(text);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const check = checkDraft(draft);

  const save = async () => {
    if (saving) return;
    if (draft.trim() === text.trim()) return onCancel();
    if (!check.canSend) return setError(check.tooLong ? `${-check.remaining} over the limit` : 'A message cannot be empty; delete it instead.');
    setSaving(true);
    const failed = await onSave(draft.trim());
    setSaving(false);
    setError(failed);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    }
  };

  return (
    <div className="message-editor">
      <textarea
        ref={box}
        className="message-editor-input"
        aria-label="Edit message"
        value={draft}
        rows={Math.min(8, draft.split('\n').length)}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={check.tooLong || undefined}
      />
      <div className="message-editor-bar">
        <span className="muted small">Enter saves · Esc cancels</span>
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary btn-small" disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
