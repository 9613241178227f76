import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { thumbnailKey, type FileStorage } from '../storage/file-storage';

/** The avatar's two sizes: shown at up to 128 CSS pixels on a 2x screen, and in lists at 32. */
export const AVATAR_SIZE = 256;
export const AVATAR_SMALL_SIZE = 64;
export const AVATAR_TYPE = 'image/webp';
const TIMEOUT_SECONDS = 20;

/**
 * Turns the image `key` (already checked and re-encoded by processUpload, so within the pixel limits) into an
 * avatar in place: its first frame cropped square around the centre, 256 × 256 WebP at `key` and 64 × 64 at
 * `${key}.thumb`. A still first frame: an animated avatar in every list would be noise.
 */
export async function makeAvatar(storage: FileStorage, key: string): Promise<{ size: number; width: number; height: number; thumbnail: { key: string; width: number; height: number; type: string } }> {
  const scratch = await mkdtemp(join(tmpdir(), 'chat-avatar-'));
  try {
    const original = join(scratch, 'original');
    await pipeline(await storage.read(key), createWriteStream(original, { mode: 0o600 }));
    const large = join(scratch, 'large');
    const small = join(scratch, 'small');
    const square = (size: number) =>
      sharp(original, { sequentialRead: true, animated: false })
        .resize(size, size, { fit: 'cover', position: 'centre' })
        .webp({ quality: 82 })
        .timeout({ seconds: TIMEOUT_SECONDS });
    await square(AVATAR_SIZE).toFile(large);
    await square(AVATAR_SMALL_SIZE).toFile(small);
    const written = await storage.write(key, createReadStream(large), AVATAR_TYPE);
    await storage.write(thumbnailKey(key), createReadStream(small), AVATAR_TYPE);
    return { size: written.size, width: AVATAR_SIZE, height: AVATAR_SIZE, thumbnail: { key: thumbnailKey(key), width: AVATAR_SMALL_SIZE, height: AVATAR_SMALL_SIZE, type: AVATAR_TYPE } };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
