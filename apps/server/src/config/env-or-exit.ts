import { type Env, loadEnv } from './env';

/** For commands: a bad setting prints the message naming the variable and exits, without a stack trace. */
export function loadEnvOrExit(): Env {
  try {
    return loadEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
