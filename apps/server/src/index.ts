export { createChatServer, CLOSE_CODES, LIMITS, type ChatServer } from './transport/chat-server';
export { CONTENT_SECURITY_POLICY } from './transport/static-files';
