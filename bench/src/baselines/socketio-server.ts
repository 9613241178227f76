// The Socket.IO 4 baseline: what many would pick instead. Same job as the ws baseline: a sender
// emits `send`, everyone else gets `message` (one broadcast, which Socket.IO encodes once).
// The rooms scenario: a socket `join`s its rooms, and `send` with a room goes to the room's every
// member, the sender included (`io.to(room).emit`, as ours delivers a message to all its members).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
let nextId = 1;
const server = createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', (rooms: string[], ack: () => void) => {
    void socket.join(rooms);
    ack();
  });
  socket.on('send', ({ text, room }: { text: string; room?: string }) => {
    const message = { id: String(nextId++), roomId: room, text, createdAt: new Date().toISOString(), author: { id: '1', username: 'bench' }, clientMessageId: null };
    if (room === undefined) socket.broadcast.emit('message', message);
    else io.to(room).emit('message', message);
  });
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : port });
});
process.on('SIGTERM', () => process.exit(0));
