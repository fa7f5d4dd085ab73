import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleConfig } from '../../shared/console/console-config';

export interface ConsoleContext {
  config: ConsoleConfig;
  /** Path of the app's HTTP API (`/api`), read from where the console is served. */
  apiBase: string;
  /** False for a signed-in reader without the admin role (Azure): actions are shown disabled. */
  canAct: boolean;
  /** Says `text` to screen readers (the shell's aria-live region) and shows it in the status bar. */
  announce: (text: string) => void;
}

export const ConsoleContextValue = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const value = useContext(ConsoleContextValue);
  if (!value) throw new Error('useConsole outside the console shell');
  return value;
}
