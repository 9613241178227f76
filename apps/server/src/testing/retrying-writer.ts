import { TRPCClientError } from '@trpc/client';

/** A refused attempt: its error code and the retry-after the server gave with it. */
export interface Refusal {
  code: string | null;
  retryAfterSeconds: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes one item after another through `write` (a send, a thread reply…), each retried with the
 * same clientMessageId until acknowledged, as a client that must not lose or double anything does
 * through an outage. `acknowledged` is what the server answered; `refusals` every failed attempt.
 */
export function startRetryingWriter(name: string, write: (text: string, clientMessageId: string) => Promise<{ id: string }>, { pauseMs = 40, retryMs = 150 } = {}) {
  const acknowledged: { id: string; clientMessageId: string }[] = [];
  const refusals: Refusal[] = [];
  let running = true;
  const done = (async () => {
    for (let n = 0; running; n++) {
      const clientMessageId = `${name}-${n}`;
      for (;;) {
        try {
          const { id } = await write(`${name} ${n}`, clientMessageId);
          acknowledged.push({ id, clientMessageId });
          break;
        } catch (error) {
          const data = error instanceof TRPCClientError ? (error.data as { code?: string; retryAfterSeconds?: unknown } | undefined) : undefined;
          refusals.push({ code: data?.code ?? null, retryAfterSeconds: data?.retryAfterSeconds });
          await sleep(retryMs);
        }
      }
      await sleep(pauseMs);
    }
  })();
  return {
    acknowledged,
    failures: refusals,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
