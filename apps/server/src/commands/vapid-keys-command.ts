import { generateVapidKeys } from '@chat/api';

// Prints a new VAPID key pair for VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY (docs/decisions/148-web-push.md).
const keys = generateVapidKeys();
console.log(`VAPID_PUBLIC_KEY=${keys.publicKey}\nVAPID_PRIVATE_KEY=${keys.privateKey}`);
