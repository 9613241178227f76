// The server writes a reaction's emoji as its emoji set does (👍 comes back as "👍\uFE0F") and takes
// either form, so clients compare emoji the same way: without variation selector 16.
const VS16 = /\uFE0F/g;

/** Whether two strings are the same emoji as a reaction counts them (U+FE0F or not). */
export const sameEmoji = (a: string, b: string) => a.normalize('NFC').replace(VS16, '') === b.normalize('NFC').replace(VS16, '');
