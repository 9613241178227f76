export { createChatServer, CLOSE_CODES, LIMITS, type ChatServer } from './transport/chat-server';
