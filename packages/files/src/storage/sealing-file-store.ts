import { FileStore } from '@tus/file-store';
import { Upload } from '@tus/utils';
import type http from 'node:http';
import type stream from 'node:stream';

/**
 * tus's FileStore, except that a finished upload stays finished. FileStore reports an upload's offset as the size
 * of its file on disk; once processUpload has re-encoded the file in place, that size differs from the upload's
 * length, and FileStore would call the upload unfinished and take PATCHes appending to the processed file (past
 * the checks it passed). The S3 store already reports a completed upload as complete: this makes the disk agree.
 */
export class SealingFileStore extends FileStore {
  override async write(readable: http.IncomingMessage | stream.Readable, id: string, offset: number): Promise<number> {
    const newOffset = await super.write(readable, id, offset);
    const record = await this.configstore.get(id);
    if (record && record.size !== undefined && newOffset >= record.size) {
      await this.configstore.set(id, new Upload({ ...record, offset: record.size }));
    }
    return newOffset;
  }

  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(id);
    const record = await this.configstore.get(id);
    if (record?.size === undefined || record.offset !== record.size) return upload;
    return new Upload({ ...upload, offset: record.size });
  }
}
