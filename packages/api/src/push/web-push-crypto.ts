import { createECDH, createPrivateKey, hkdfSync, randomBytes, sign, createCipheriv } from 'node:crypto';

// Web Push message encryption (RFC 8291, "aes128gcm" of RFC 8188) and VAPID (RFC 8292) with node:crypto
// alone (docs/decisions/148-web-push.md): about as long as the glue the web-push package would need,
// and the request itself must go through our own SSRF-checked socket anyway.

export interface VapidKeys {
  /** The uncompressed P-256 public key, base64url (65 bytes): what browsers subscribe with. */
  publicKey: string;
  /** The private scalar, base64url (32 bytes). */
  privateKey: string;
}

/** The browser's half of a subscription: its P-256 public key and 16-byte auth secret, base64url. */
export interface SubscriptionKeys {
  p256dh: string;
  auth: string;
}

export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: ecdh.getPrivateKey().toString('base64url') };
}

/** Throws unless `keys` are a usable P-256 pair (a typo in VAPID_PRIVATE_KEY fails at start, not at the first push). */
export function checkVapidKeys(keys: VapidKeys): void {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
  if (!ecdh.getPublicKey().equals(Buffer.from(keys.publicKey, 'base64url'))) throw new Error('VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY');
}

const RECORD_SIZE = 4096;

/** The request body for one push: a single aes128gcm record encrypted to the subscription's keys. */
export function encryptPayload(keys: SubscriptionKeys, plaintext: Buffer): Buffer {
  const uaPublic = Buffer.from(keys.p256dh, 'base64url');
  const authSecret = Buffer.from(keys.auth, 'base64url');
  if (uaPublic.length !== 65 || uaPublic[0] !== 0x04) throw new Error('p256dh is not an uncompressed P-256 key');
  if (authSecret.length !== 16) throw new Error('auth is not 16 bytes');
  // One padding delimiter byte and a 16-byte tag must fit the single record.
  if (plaintext.length + 1 + 16 > RECORD_SIZE - 86) throw new Error('push payload too large');
  const ephemeral = createECDH('prime256v1');
  ephemeral.generateKeys();
  const asPublic = ephemeral.getPublicKey();
  const ecdhSecret = ephemeral.computeSecret(uaPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const salt = randomBytes(16);
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  // 0x02: the last (and only) record's padding delimiter.
  const sealed = Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.from([2])])), cipher.final(), cipher.getAuthTag()]);
  const header = Buffer.alloc(16 + 4 + 1);
  salt.copy(header, 0);
  header.writeUInt32BE(RECORD_SIZE, 16);
  header.writeUInt8(asPublic.length, 20);
  return Buffer.concat([header, asPublic, sealed]);
}

/** The `Authorization` header for a push to `endpoint`: a VAPID JWT (ES256) for its origin, valid 12 hours. */
export function vapidAuthorization(endpoint: URL, keys: VapidKeys, subject: string, now = Date.now()): string {
  const pub = Buffer.from(keys.publicKey, 'base64url');
  const jwk = { kty: 'EC', crv: 'P-256', d: keys.privateKey, x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33, 65).toString('base64url') };
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ typ: 'JWT', alg: 'ES256' })}.${part({ aud: endpoint.origin, exp: Math.floor(now / 1000) + 12 * 3600, sub: subject })}`;
  const signature = sign('sha256', Buffer.from(unsigned), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `vapid t=${unsigned}.${signature}, k=${keys.publicKey}`;
}
