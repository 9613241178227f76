// The raw `ws` baseline: one process, no database, no auth. A sender's message is stamped with an
// id and broadcast to every other socket, serialised once: about the least work Node can do.
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
let nextId = 1;
const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/ws' });

wss.on('connection', (socket: WebSocket) => {
  socket.on('message', (raw) => {
    const { text } = JSON.parse(raw.toString()) as { text: string };
    const payload = JSON.stringify({ id: String(nextId++), text, createdAt: new Date().toISOString(), author: { id: '1', username: 'bench' }, clientMessageId: null });
    for (const client of wss.clients) if (client !== socket && client.readyState === client.OPEN) client.send(payload);
  });
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : port });
});
process.on('SIGTERM', () => process.exit(0));
