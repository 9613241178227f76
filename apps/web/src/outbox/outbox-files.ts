import { ATTACHMENT_ID_HEADER, UPLOADS_PATH } from '@chat/api/schemas';
import type { OutboxFile } from '@chat/client/core';
import { filesBase } from '../attachments/files-url';
import { refusalSentence } from '../attachments/upload-queue';

/** An upload the server refused for good (too large, not an image it claims, over the quota): as a tRPC refusal, so the outbox stops the item. */
function refusal(status: number, body: string): Error {
  const code = status === 429 ? 'TOO_MANY_REQUESTS' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
  return Object.assign(new Error(refusalSentence(status, body)), { data: { code } });
}

/**
 * The outbox's delivery of a message with files kept as Blobs: each one not uploaded yet goes up first (tus), then
 * the message is sent with every file's id in the order attached. Uploaded ids are remembered for the page's life
 * (`done`), so a retry after a lost connection does not upload a file twice; after a reload it is uploaded again
 * and the first copy, never sent, is swept by the server within a day. The send's clientMessageId keeps the message
 * itself exactly once.
 */
export async function attachmentIdsOf(files: readonly OutboxFile[], roomId: string, token: () => string, done: Map<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const known = file.attachmentId ?? done.get(file.localId);
    if (known) {
      ids.push(known);
      continue;
    }
    if (!file.blob) throw refusal(400, 'A file of this message was lost from the browser’s storage; discard it and attach the file again.');
    const id = await uploadOne(file.blob, file.name, roomId, token);
    done.set(file.localId, id);
    ids.push(id);
  }
  return ids;
}

async function uploadOne(blob: Blob, name: string, roomId: string, token: () => string): Promise<string> {
  // Loaded with the first queued file, as the composer's uploads are: the chat chunk stays without tus (decision 151).
  const { Upload } = await import('tus-js-client');
  return new Promise((resolve, reject) => {
    const upload = new Upload(blob, {
      endpoint: `${filesBase()}${UPLOADS_PATH}`,
      metadata: { filename: name, roomId },
      // The outbox retries the whole delivery with its own backoff.
      retryDelays: [0, 1_000],
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => req.setHeader('Authorization', `Bearer ${token()}`),
      onSuccess: ({ lastResponse }) => {
        const id = lastResponse.getHeader(ATTACHMENT_ID_HEADER);
        if (id) resolve(id);
        else reject(refusal(500, 'The server kept no file; discard the message and attach the file again.'));
      },
      onError: (error) => {
        const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
        const status = response?.getStatus() ?? 0;
        // No connection, the server restarting or failing, a token being renewed: the outbox tries again later.
        if (status === 0 || status === 401 || status >= 500) reject(new Error(`The upload did not go through (HTTP ${status}); it is tried again`));
        else reject(refusal(status, response?.getBody() ?? ''));
      },
    });
    upload.start();
  });
}
