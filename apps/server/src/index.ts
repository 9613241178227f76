export { createChatServer, CLOSE_CODES, LIMITS, type ChatServer } from './chat-server';
