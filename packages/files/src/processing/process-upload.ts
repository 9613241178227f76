import { buffer } from 'node:stream/consumers';
import { assertValidKey, FileNotFoundError, type FileStorage } from '../storage/file-storage';
import { reencodeImage, REENCODED_TYPES } from './reencode-image';
import { refused, type FileLimits, type ProcessedFile } from './processed-file';
import { sniffType, SNIFF_BYTES } from './sniff-type';

/**
 * Sniffs the staged object `key` by content (file-type), re-encodes images in place (metadata stripped) and writes
 * `${key}.thumb`; other files stay as uploaded, typed by their content (unknown → application/octet-stream; SVG,
 * HTML and XML are never 'image'). Hostile input ends in `{ ok: false }`, never a throw; it rejects only for a
 * missing object (FileNotFoundError), an invalid key, or a storage that fails.
 */
export async function processUpload(storage: FileStorage, key: string, limits: FileLimits): Promise<ProcessedFile> {
  assertValidKey(key);
  const stat = await storage.stat(key);
  if (!stat) throw new FileNotFoundError(key);
  if (stat.size === 0) return refused('empty', 'The file is empty.');
  // Only the head is read to type a file: a 100 MB download is never pulled in to be looked at.
  const head = await buffer(await storage.read(key, { start: 0, end: Math.min(stat.size, SNIFF_BYTES) - 1 }));
  const type = await sniffType(head);
  if (!REENCODED_TYPES.has(type)) return { ok: true, kind: 'file', type, size: stat.size };
  return reencodeImage(storage, key, type, limits);
}
