import { TRPCClientError } from '@trpc/client';

/** The server's refusal says what to do; anything else is a network problem. */
export const adminErrorText = (error: unknown): string =>
  error instanceof TRPCClientError && error.data?.code && error.data.code !== 'INTERNAL_SERVER_ERROR'
    ? error.message
    : 'Could not reach the server; try again.';
