import { adminRouter } from './routers/admin.router';
import { authRouter } from './routers/auth.router';
import { chatRouter } from './routers/chat.router';
import { fileRouter } from './routers/file.router';
import { notificationRouter } from './routers/notification.router';
import { pushRouter } from './routers/push.router';
import { roomRouter } from './routers/room.router';
import { threadRouter } from './routers/thread.router';
import { userRouter } from './routers/user.router';
import { router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  chat: chatRouter,
  room: roomRouter,
  admin: adminRouter,
  file: fileRouter,
  push: pushRouter,
  notifications: notificationRouter,
  thread: threadRouter,
});

export type AppRouter = typeof appRouter;
