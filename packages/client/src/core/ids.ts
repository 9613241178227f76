/** Decimal id order (event and message ids, reaction orders: int8 as strings). */
export const compareIds = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
