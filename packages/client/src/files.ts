import type { AppRouter } from '@chat/api';
import { ATTACHMENT_ID_HEADER, UPLOADS_PATH } from '@chat/api/schemas';
import type { inferRouterInputs } from '@trpc/server';
import type { Readable } from 'node:stream';
import { Upload } from 'tus-js-client';

type SendInput = inferRouterInputs<AppRouter>['chat']['send'];
/** An attachment id as `chat.send({ attachmentIds })` takes it. */
export type AttachmentId = NonNullable<SendInput['attachmentIds']>[number];

export interface FileUploadOptions {
  /** The room the file is for: the uploader must be a member who may send there. */
  roomId: NonNullable<SendInput['roomId']>;
  /** The name readers see (the server keeps no path, only the last part). */
  name: string;
  /** A Readable is streamed (never held whole); give its `size`, which the server needs up front. */
  data: Buffer | Readable | Blob;
  size?: number;
  /** Bytes the server has acknowledged so far, and the total. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting cancels the upload on the server too (its bytes and quota are freed). */
  signal?: AbortSignal;
  /** Bytes per PATCH request; a stream holds one chunk in memory so a cut can resume from it. 5 MB by default for streams. */
  chunkSize?: number;
}

/** The server refused an upload or a download; `message` is its sentence (what went wrong and what to do). */
export class FileTransferError extends Error {
  override readonly name = 'FileTransferError';
  constructor(
    message: string,
    /** The HTTP status (413 too large, 422 a file the server would not accept, 429 too many uploads, 404 no such file...), 0 when the server was unreachable. */
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ChatFiles {
  /** Uploads a file (tus 1.0, resumable: a cut connection resumes from the server's offset); send it with `chat.send({ attachmentIds })`. */
  upload(options: FileUploadOptions): Promise<{ attachmentId: AttachmentId }>;
  /** The file's bytes (or its thumbnail's), as the server's Response; rejects with FileTransferError when it is not readable. */
  download(attachmentId: AttachmentId, options?: { thumbnail?: boolean; signal?: AbortSignal }): Promise<Response>;
}

/** Streams are uploaded in chunks of this size, which tus-js-client keeps in memory until acknowledged. */
const STREAM_CHUNK_BYTES = 5 * 1024 * 1024;
/** Waits between attempts after a dropped connection; each attempt asks the server's offset first. */
const RETRY_DELAYS_MS = [0, 500, 1_000, 2_000, 5_000, 10_000];

const isNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** tus-js-client takes a Buffer or a Readable in Node and a Blob in browsers; a Blob in Node becomes a stream. */
async function toSource(data: FileUploadOptions['data'], size: number | undefined) {
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    if (!isNode()) return { source: data, size: data.size, streamed: false };
    const { Readable: NodeReadable } = await import('node:stream');
    return { source: NodeReadable.fromWeb(data.stream() as Parameters<typeof NodeReadable.fromWeb>[0]), size: data.size, streamed: true };
  }
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(data)) return { source: data, size: data.length, streamed: false };
  return { source: data, size, streamed: true };
}

const refusal = (error: unknown): FileTransferError => {
  const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
  const body = response?.getBody()?.trim();
  return new FileTransferError(body || (error instanceof Error ? error.message : String(error)), response?.getStatus() ?? 0);
};

export function createChatFiles(baseUrl: string, token: () => Promise<string>): ChatFiles {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async upload(options) {
      const { source, size, streamed } = await toSource(options.data, options.size);
      if (size === undefined) throw new FileTransferError('Give the size of a streamed file: the server needs it before the first byte', 0);
      if (options.signal?.aborted) throw options.signal.reason;
      return new Promise((resolve, reject) => {
        const upload = new Upload(source as Buffer, {
          endpoint: `${base}${UPLOADS_PATH}`,
          uploadSize: size,
          metadata: { filename: options.name, roomId: options.roomId },
          chunkSize: options.chunkSize ?? (streamed ? STREAM_CHUNK_BYTES : Infinity),
          retryDelays: RETRY_DELAYS_MS,
          // A process uploads each file once; nothing to resume across runs.
          storeFingerprintForResuming: false,
          // The session's current token on every request: a long upload may outlive the token it began with.
          onBeforeRequest: async (req) => req.setHeader('Authorization', `Bearer ${await token()}`),
          onProgress: (sent, total) => options.onProgress?.(sent, total),
          onSuccess: ({ lastResponse }) => {
            options.signal?.removeEventListener('abort', abort);
            const id = lastResponse.getHeader(ATTACHMENT_ID_HEADER);
            if (id) resolve({ attachmentId: id });
            else reject(new FileTransferError('The server finished the upload but named no attachment', lastResponse.getStatus()));
          },
          onError: (error) => {
            options.signal?.removeEventListener('abort', abort);
            reject(refusal(error));
          },
        });
        const abort = () => {
          // `true`: DELETE on the server, so the partial bytes and the quota they hold are released.
          void upload.abort(true).catch(() => undefined);
          reject(options.signal?.reason ?? new DOMException('The upload was cancelled', 'AbortError'));
        };
        options.signal?.addEventListener('abort', abort, { once: true });
        upload.start();
      });
    },

    async download(attachmentId, options = {}) {
      const path = `/files/${encodeURIComponent(attachmentId)}${options.thumbnail ? '/thumbnail' : ''}`;
      const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${await token()}` }, signal: options.signal });
      if (!response.ok) {
        const sentence = (await response.text().catch(() => '')).trim();
        throw new FileTransferError(sentence || `The file could not be downloaded (HTTP ${response.status})`, response.status);
      }
      return response;
    },
  };
}
