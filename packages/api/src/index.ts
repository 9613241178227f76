export { appRouter, type AppRouter } from './root';
export { createCallerFactory } from './trpc';
export { createContextInner, createHttpContextFactory, createWsContextFactory, type Context, type AuthUser } from './context';
export { createTokenService, type TokenService, type TokenClaims, type TokenConfig } from './auth/token';
export { createPasswordHasher, type PasswordHasher } from './auth/password';
export { createInProcessBus, type ChatBus } from './bus/chat-bus';
export { createSerialExecutor } from './bus/serial-executor';
export { createApiDeps, type ApiDeps } from './services/deps';
export type { PublicUser, ChatMessage, AuthResult } from './shapes';
