import { crc32, createDeflate, createDeflateRaw } from 'node:zlib';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';

// Files made byte by byte for the hostile cases: what an attacker would craft rather than what sharp would write.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.writeUInt8(bitDepth, 8);
  data.writeUInt8(colourType, 9);
  return pngChunk('IHDR', data);
}

/** Deflates `total` bytes of `fill` fed 1 MB at a time, so neither side of the bomb is ever held whole. */
async function deflatedZeros(total: number, raw = false, fill = 0): Promise<Buffer> {
  const MB = 1024 * 1024;
  const zero = Buffer.alloc(MB, fill);
  async function* zeros() {
    for (let left = total; left > 0; left -= MB) yield left >= MB ? zero : zero.subarray(0, left);
  }
  return buffer(Readable.from(zeros()).pipe(raw ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 })));
}

/** A PNG whose header claims `width` × `height` RGB pixels, with a token IDAT and a correct CRC on every chunk. */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ihdr(width, height, 8, 2), pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A real, complete 1-bit grayscale PNG of `side` × `side` black pixels: tens of KB that decode to side² pixels. */
export async function pngBomb(side: number): Promise<Buffer> {
  const rowBytes = 1 + Math.ceil(side / 8); // the filter byte, then 8 pixels a byte
  return Buffer.concat([PNG_SIGNATURE, ihdr(side, side, 1, 0), pngChunk('IDAT', await deflatedZeros(rowBytes * side)), pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * A real small PNG with a compressed text chunk (zTXt) that inflates to `textBytes`: a metadata bomb, which a decoder
 * that keeps text chunks would inflate into memory.
 */
export async function pngWithTextBomb(png: Buffer, textBytes: number): Promise<Buffer> {
  const ihdrEnd = PNG_SIGNATURE.length + 8 + 13 + 4;
  const text = Buffer.concat([Buffer.from('Comment\u0000\u0000', 'latin1'), await deflatedZeros(textBytes, false, 0x61)]);
  return Buffer.concat([png.subarray(0, ihdrEnd), pngChunk('zTXt', text), png.subarray(ihdrEnd)]);
}

/** A ZIP with one deflated entry of `size` zero bytes: a classic zip bomb when `size` is large. */
export async function zipOfZeros(name: string, size: number): Promise<Buffer> {
  const data = await deflatedZeros(size, true);
  const fileName = Buffer.from(name, 'utf8');
  let crc = 0;
  const MB = 1024 * 1024;
  const zero = Buffer.alloc(MB);
  for (let left = size; left > 0; left -= MB) crc = crc32(left >= MB ? zero : zero.subarray(0, left), crc);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42); // the local header's offset
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

export const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>fetch("/api/steal?c=" + document.cookie)</script><rect width="100" height="100"/></svg>\n',
);

export const HTML_PAGE = Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(document.domain)</script></body></html>\n');
