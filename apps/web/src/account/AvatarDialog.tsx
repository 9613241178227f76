import { UPLOADS_PATH, ATTACHMENT_ID_HEADER } from '@chat/api/schemas';
import { refusalSentence } from '@chat/client/core';
import { useEffect, useId, useRef, useState } from 'react';
import { Upload } from 'tus-js-client';
import { trpc } from '../api/trpc';
import { useSession } from '../session/SessionContext';
import { Avatar } from '../ui/Avatar';
import { filesBase } from '../attachments/files-url';
import { refusalSentence as uploadRefusal } from '../attachments/upload-queue';

const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

/**
 * Pick a picture, see it as it will be cropped (the centre square, as the server cuts it), save or remove it
 * (docs/decisions/143-avatars.md). The picture goes up with tus as an avatar upload, then user.setAvatar takes it.
 */
export function AvatarDialog({ me, onClose }: { me: { id: string; username: string; avatar?: string | undefined }; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const { session } = useSession();
  const utils = trpc.useUtils();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setAvatar = trpc.user.setAvatar.useMutation();
  const removeAvatar = trpc.user.removeAvatar.useMutation();
  const upload = useRef<Upload | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    return () => void upload.current?.abort(true).catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const changed = async () => {
    await Promise.all([utils.auth.me.invalidate(), utils.room.members.invalidate(), utils.user.search.invalidate()]);
    dialog.current?.close();
  };

  const save = () => {
    if (!file) return;
    setError(null);
    setProgress(0);
    const tus = new Upload(file, {
      endpoint: `${filesBase()}${UPLOADS_PATH}`,
      metadata: { filename: file.name, purpose: 'avatar' },
      retryDelays: [0, 1_000, 3_000],
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => req.setHeader('Authorization', `Bearer ${session?.token ?? ''}`),
      onProgress: (sent, total) => setProgress(total ? sent / total : 0),
      onSuccess: ({ lastResponse }) => {
        const fileId = lastResponse.getHeader(ATTACHMENT_ID_HEADER);
        if (!fileId) return (setProgress(null), setError('The server kept no picture; try again.'));
        setAvatar.mutate(
          { fileId },
          { onSuccess: () => void changed(), onError: (e) => (setProgress(null), setError(refusalSentence(e))) },
        );
      },
      onError: (e) => {
        const response = (e as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
        setProgress(null);
        setError(uploadRefusal(response?.getStatus() ?? 0, response?.getBody() ?? ''));
      },
    });
    upload.current = tus;
    tus.start();
  };

  const busy = progress !== null || setAvatar.isPending || removeAvatar.isPending;
  return (
    <dialog ref={dialog} className="account-dialog glass avatar-dialog" aria-labelledby={`${ids}-title`} onClose={onClose}>
      <h2 id={`${ids}-title`}>Profile picture</h2>
      <div className="avatar-editor">
        {preview ? (
          <img className="avatar-preview" src={preview} alt="Your new picture, cropped to a square" />
        ) : (
          <Avatar name={me.username} user={me} size="lg" />
        )}
        <div className="avatar-editor-side">
          <label className="btn btn-ghost" htmlFor={`${ids}-file`}>
            {me.avatar || file ? 'Choose another picture…' : 'Choose a picture…'}
          </label>
          <input
            id={`${ids}-file`}
            className="sr-only"
            type="file"
            accept={ACCEPT}
            disabled={busy}
            onChange={(e) => (setError(null), setFile(e.target.files?.[0] ?? null))}
          />
          <p className="muted small">PNG, JPEG, GIF or WebP. It is cropped to the square in the middle; everyone signed in can see it.</p>
        </div>
      </div>
      {progress !== null && <progress className="avatar-progress" value={progress} max={1} aria-label="Uploading the picture" />}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="account-dialog-actions">
        {me.avatar && !file && (
          <button
            type="button"
            className="btn btn-ghost"
            disabled={busy}
            onClick={() => removeAvatar.mutate(undefined, { onSuccess: () => void changed(), onError: (e) => setError(refusalSentence(e)) })}
          >
            Remove picture
          </button>
        )}
        <button type="button" className="btn btn-ghost" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" disabled={!file || busy} onClick={save}>
          {busy && file ? 'Saving…' : 'Save'}
        </button>
      </div>
    </dialog>
  );
}
