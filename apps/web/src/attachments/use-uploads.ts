import { ATTACHMENT_ID_HEADER, UPLOADS_PATH } from '@chat/api/schemas';
import type { OutboxFile } from '@chat/client/core';
import { type Dispatch, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Upload } from 'tus-js-client';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { useSession } from '../session/SessionContext';
import { filesBase } from './files-url';
import { type QueuedUpload, refusalSentence, summarize, type UploadAction, uploadQueue } from './upload-queue';

/**
 * How many bytes of files may wait with queued messages in the browser (IndexedDB, with the outbox) at once: a
 * browser grants a site a share of its free disk, often far more, but a write refused for quota would lose the
 * message. Beyond it, the composer waits for the connection as before.
 */
export const QUEUED_FILES_MAX_BYTES = 100 * 1024 * 1024;

/**
 * Offline, the files a message goes with, for the outbox: those uploaded already by id, the others (still trying,
 * or given up for want of a connection) as the File itself, which the outbox keeps and uploads on delivery. Null
 * when there is nothing to hand over, or more than the browser should keep.
 */
export function filesForOutbox(queue: readonly QueuedUpload[], files: ReadonlyMap<string, File>, lostConnection: ReadonlySet<string>): OutboxFile[] | null {
  const out: OutboxFile[] = [];
  let kept = 0;
  for (const u of queue) {
    const file = files.get(u.localId);
    const type = file?.type ?? '';
    if (u.status === 'ready') out.push({ localId: u.localId, name: u.name, type, size: u.size, attachmentId: u.attachmentId });
    else if (file && (u.status === 'uploading' || lostConnection.has(u.localId))) {
      out.push({ localId: u.localId, name: u.name, type, size: u.size, blob: file });
      kept += file.size;
    }
  }
  return kept === 0 || kept > QUEUED_FILES_MAX_BYTES ? null : out;
}

/** Waits between attempts after a dropped connection; tus asks the server's offset and goes on from there. */
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000];

interface UploadWiring {
  localId: string;
  roomId: string;
  token: { readonly current: string };
  dispatch: Dispatch<UploadAction>;
  running: Map<string, Upload>;
  /** The upload failed with no answer from the server: offline, its file may go into the outbox. */
  onLostConnection: (localId: string) => void;
}

function startUpload(TusUpload: typeof Upload, file: File, { localId, roomId, token, dispatch, running, onLostConnection }: UploadWiring): void {
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
      if ((response?.getStatus() ?? 0) === 0) onLostConnection(localId);
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
  // The files themselves, so a message written offline can take them into the outbox (decision 133).
  const kept = useRef(new Map<string, File>());
  const [lostConnection, setLostConnection] = useState<ReadonlySet<string>>(new Set());
  const offline = useConnectionStatus().kind !== 'connected';
  const onLostConnection = useCallback((localId: string) => setLostConnection((s) => new Set([...s, localId])), []);

  const add = useCallback(
    (files: readonly File[]) => {
      for (const file of files) {
        const localId = crypto.randomUUID();
        dispatch({ type: 'added', localId, name: file.name, size: file.size });
        kept.current.set(localId, file);
        const wanted = { cancelled: false };
        loading.current.set(localId, wanted);
        // The tus client loads with the first file: a room that is only read never parses it (decision 151).
        void import('tus-js-client').then(
          ({ Upload: TusUpload }) => {
            loading.current.delete(localId);
            if (!wanted.cancelled) startUpload(TusUpload, file, { localId, roomId, token, dispatch, running: running.current, onLostConnection });
          },
          () => {
            loading.current.delete(localId);
            if (wanted.cancelled) return;
            // The tus chunk could not be fetched: the server is out of reach, as for a failed upload (the outbox may take the file).
            onLostConnection(localId);
            dispatch({ type: 'refused', localId, reason: 'The upload could not start; check the connection, remove the file and try again.' });
          },
        );
      }
    },
    [roomId, onLostConnection],
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
    kept.current.delete(localId);
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
  const forOutbox = useMemo(() => (offline ? filesForOutbox(queue, kept.current, lostConnection) : null), [offline, queue, lostConnection]);
  /** The files went into the outbox with a message: their uploads here stop (the outbox uploads them on delivery). */
  const handedOver = useCallback((handed: readonly OutboxFile[]) => {
    for (const f of handed) {
      const upload = running.current.get(f.localId);
      running.current.delete(f.localId);
      // Not `true`: offline, the DELETE could not go; the server sweeps the partial upload.
      void upload?.abort(false).catch(() => undefined);
      kept.current.delete(f.localId);
      dispatch({ type: 'removed', localId: f.localId });
    }
  }, []);
  return { queue, ...summary, add, remove, sent, forOutbox, handedOver };
}
