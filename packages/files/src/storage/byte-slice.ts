import { Transform } from 'node:stream';

/** A pass-through that drops the first `skip` bytes, passes `take` bytes and then ends, ignoring the rest. */
export function byteSlice(skip: number, take: number): Transform {
  let position = 0;
  const end = skip + take;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const from = Math.max(0, skip - position);
      const to = Math.min(chunk.length, end - position);
      position += chunk.length;
      if (to > from) this.push(chunk.subarray(from, to));
      if (position >= end) {
        // Enough: end our side now; the source is destroyed by the caller's pipeline when we finish.
        this.push(null);
      }
      callback();
    },
  });
}
