import { createChatClient } from '@chat/client';
import { loadEnv } from './env';

const env = loadEnv(); // CHAT_URL, BOT_USERNAME, BOT_PASSWORD
const client = await createChatClient({
  url: env.CHAT_URL,
  username: env.BOT_USERNAME,
  password: env.BOT_PASSWORD,
  signup: true, // creates the account on first run
});

// Every room the bot is in (#everyone, channels, private rooms, DMs) on one stream.
client.onEvent(async (event) => {
  if (event.type !== 'message.created') return; // also: room.joined, room.left, typing, …
  const { roomId, message } = event;
  if (message.author.id === client.me.id) return; // never answer yourself
  if (message.text.trim() === '/ping') {
    await client.chat.send.mutate({ roomId, text: `pong, ${message.author.username}` }); // answer where asked
    console.log(`answered ${message.author.username}`);
  }
});

process.once('SIGINT', () => void client.close()); // Ctrl-C: close, and the process exits
console.log(`${client.me.username} is listening on ${env.CHAT_URL}; type /ping in the chat or in a DM to it`);
