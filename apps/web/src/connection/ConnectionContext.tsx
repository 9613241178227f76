import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { ConnectionMonitor } from './connection-monitor';
import type { ConnectionStatus } from './connection-status';

const ConnectionContext = createContext<ConnectionMonitor | null>(null);

export function ConnectionProvider({ monitor, children }: { monitor: ConnectionMonitor; children: ReactNode }) {
  return <ConnectionContext.Provider value={monitor}>{children}</ConnectionContext.Provider>;
}

export function useConnectionStatus(): ConnectionStatus {
  const monitor = useContext(ConnectionContext);
  if (!monitor) throw new Error('useConnectionStatus needs a ConnectionProvider');
  return useSyncExternalStore(monitor.subscribe, monitor.getSnapshot);
}
