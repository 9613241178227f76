// The Socket.IO 4 baseline: what many would pick instead. Same job as the ws baseline: a sender
// emits `send`, everyone else gets `message` (one broadcast, which Socket.IO encodes once).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
let nextId = 1;
const server = createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  socket.on('send', ({ text }: { text: string }) => {
    socket.broadcast.emit('message', { id: String(nextId++), text, createdAt: new Date().toISOString(), author: { id: '1', username: 'bench' }, clientMessageId: null });
  });
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : port });
});
process.on('SIGTERM', () => process.exit(0));
