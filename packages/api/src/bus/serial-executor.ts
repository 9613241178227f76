/** Runs tasks one after another, in call order, whatever each one's duration. */
export function createSerialExecutor() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
export type SerialExecutor = ReturnType<typeof createSerialExecutor>;
