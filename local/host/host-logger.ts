import pino from 'pino';

/** Structured host log (pino, JSON lines on stderr so stdout stays for the host's own banner). */
export type HostLogger = pino.Logger;

export function createHostLogger(level: string = process.env.ENTRA_JML_LOG_LEVEL ?? 'info'): HostLogger {
  return pino({ level, base: { component: 'host' } }, pino.destination({ dest: 2, sync: false }));
}

/** Functions host log levels (types-core RpcLogLevel) → pino levels. */
export function toPinoLevel(level: string): 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' {
  switch (level) {
    case 'warning':
      return 'warn';
    case 'information':
      return 'info';
    case 'critical':
      return 'fatal';
    case 'trace':
    case 'debug':
    case 'error':
      return level;
    default:
      return 'trace';
  }
}
