// The one id comparison, shared with the server (docs/decisions/132).
export { compareIds } from '@chat/api/schemas';
