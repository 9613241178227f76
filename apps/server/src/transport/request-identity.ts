import type { RequestIdentity } from '@chat/api';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ids = new WeakMap<IncomingMessage, string>();

/**
 * randomUUID() joins its text from many pieces, and V8 keeps such a string as a rope of ~15
 * parts (about 450 bytes); a socket keeps its id for hours, so it gets one flat copy (~60 bytes).
 */
const flatUuid = () => Buffer.from(randomUUID(), 'latin1').toString('latin1');

/**
 * Client address and a request id. Behind a trusted proxy the address is the last hop of
 * X-Forwarded-For (the one our proxy appended); otherwise the socket's peer, which cannot be forged.
 */
export function createRequestIdentity(trustProxy: boolean): RequestIdentity {
  return {
    ip(req) {
      if (trustProxy) {
        const forwarded = req.headers['x-forwarded-for'];
        const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
        if (last) return last;
      }
      return req.socket.remoteAddress ?? 'unknown';
    },
    requestId(req) {
      let id = ids.get(req);
      if (!id) {
        id = flatUuid();
        ids.set(req, id);
      }
      return id;
    },
  };
}
