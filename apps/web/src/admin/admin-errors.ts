import { refusalSentence } from '@chat/client/core';

/** The server's refusal says what to do; an outage or a failure gets the shared sentence for it. */
export const adminErrorText = (error: unknown): string => refusalSentence(error);
