import { ATTACHMENT_ID_HEADER, UPLOADS_PATH } from '@chat/api/schemas';
import { type Dispatch, useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { Upload } from 'tus-js-client';
import { useSession } from '../session/SessionContext';
import { filesBase } from './files-url';
import { refusalSentence, summarize, type UploadAction, uploadQueue } from './upload-queue';

/** Waits between attempts after a dropped connection; tus asks the server's offset and goes on from there. */
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000];

interface UploadWiring {
  localId: string;
  roomId: string;
  token: { readonly current: string };
  dispatch: Dispatch<UploadAction>;
  running: Map<string, Upload>;
}

function startUpload(TusUpload: typeof Upload, file: File, { localId, roomId, token, dispatch, running }: UploadWiring): void {
  const upload = new TusUpload(file, {
    endpoint: `${filesBase()}${UPLOADS_PATH}`,
    metadata: { filename: file.name, roomId },
    retryDelays: RETRY_DELAYS_MS,
    // A composer's upload lives as long as the page; resuming across reloads would need the file again.
    storeFingerprintForResuming: false,
    // The current token on every request: a long upload may outlive the one it began with.
    onBeforeRequest: (req) => req.setHeader('Authorization', `Bearer ${token.current}`),
    onProgress: (sent) => dispatch({ type: 'progress', localId, sent }),
    onSuccess: ({ lastResponse }) => {
      running.delete(localId);
      const attachmentId = lastResponse.getHeader(ATTACHMENT_ID_HEADER);
      dispatch(attachmentId ? { type: 'finished', localId, attachmentId } : { type: 'refused', localId, reason: 'The server kept no file; remove it and try again.' });
    },
    onError: (error) => {
      running.delete(localId);
      const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
      dispatch({ type: 'refused', localId, reason: refusalSentence(response?.getStatus() ?? 0, response?.getBody() ?? '') });
    },
  });
  running.set(localId, upload);
  upload.start();
}

export type Uploads = ReturnType<typeof useUploads>;

/** The composer's files for one room: each uploaded at once (tus, resumable), cancellable, sent with the next message. */
export function useUploads(roomId: string) {
  const { session } = useSession();
  const token = useRef(session?.token ?? '');
  token.current = session?.token ?? '';
  const [queue, dispatch] = useReducer(uploadQueue, []);
  const running = useRef(new Map<string, Upload>());
  // Files added while the tus client was still loading: taken back (or the room left) before they started.
  const loading = useRef(new Map<string, { cancelled: boolean }>());

  const add = useCallback(
    (files: readonly File[]) => {
      for (const file of files) {
        const localId = crypto.randomUUID();
        dispatch({ type: 'added', localId, name: file.name, size: file.size });
        const wanted = { cancelled: false };
        loading.current.set(localId, wanted);
        // The tus client loads with the first file: a room that is only read never parses it (decision 151).
        void import('tus-js-client').then(
          ({ Upload: TusUpload }) => {
            loading.current.delete(localId);
            if (!wanted.cancelled) startUpload(TusUpload, file, { localId, roomId, token, dispatch, running: running.current });
          },
          () => {
            loading.current.delete(localId);
            if (!wanted.cancelled) dispatch({ type: 'refused', localId, reason: 'The upload could not start; check the connection, remove the file and try again.' });
          },
        );
      }
    },
    [roomId],
  );

  /** Cancels an upload in flight (its bytes are erased on the server) or takes a finished one back. */
  const latest = useRef(queue);
  latest.current = queue;
  const remove = useCallback((localId: string) => {
    const starting = loading.current.get(localId);
    if (starting) starting.cancelled = true;
    const upload = running.current.get(localId);
    running.current.delete(localId);
    // `true` sends DELETE: the server drops the partial upload and the quota it held.
    void upload?.abort(true).catch(() => undefined);
    const done = latest.current.find((u) => u.localId === localId);
    if (done?.status === 'ready') {
      // A finished, unsent upload taken back is erased now rather than by the sweep a day later.
      void fetch(`${filesBase()}${UPLOADS_PATH}/${done.attachmentId}`, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token.current}` } }).catch(() => undefined);
    }
    dispatch({ type: 'removed', localId });
  }, []);

  // Leaving the room (or the page) stops what is still uploading; the server sweeps what was never sent.
  useEffect(() => {
    const uploads = running.current;
    const starting = loading.current;
    return () => {
      for (const wanted of starting.values()) wanted.cancelled = true;
      for (const upload of uploads.values()) void upload.abort(true).catch(() => undefined);
      uploads.clear();
    };
  }, [roomId]);

  const summary = useMemo(() => summarize(queue), [queue]);
  const sent = useCallback(() => dispatch({ type: 'sent' }), []);
  return { queue, ...summary, add, remove, sent };
}
