import { S3Store } from '@tus/s3-store';
import { ERRORS } from '@tus/utils';

/**
 * tus's S3Store, except that removing an upload erases all of it, finished or not: the upload's object, its `.info`
 * (which holds the file name), its `.part` (an unfinished last part) and its cached metadata. S3Store's own remove
 * gives up on a finished upload (its multipart upload is gone, so the abort fails) and never deletes `.part`.
 */
export class ErasingS3Store extends S3Store {
  override async remove(id: string): Promise<void> {
    let uploadId: string | undefined;
    try {
      uploadId = (await this.getMetadata(id))['upload-id'];
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    try {
      if (uploadId) await this.abort(id, uploadId);
      await Promise.all([id, this.infoKey(id), this.partKey(id, true)].map((Key) => this.client.deleteObject({ Bucket: this.bucket, Key })));
    } finally {
      await this.clearCache(id);
    }
    // tus answers a DELETE of an upload it never had with 404.
    if (uploadId === undefined) throw ERRORS.FILE_NOT_FOUND;
  }

  private async abort(id: string, uploadId: string): Promise<void> {
    try {
      await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: uploadId });
    } catch (error) {
      // A finished (or already aborted) upload has no multipart upload left to abort.
      if (!isMissing(error)) throw error;
    }
  }
}

export function isMissing(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchUpload';
}
