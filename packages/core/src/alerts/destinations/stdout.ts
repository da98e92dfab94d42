import type { Alert } from '../types.js';
import type { StdoutConfig } from './config.js';
import type { AlertDestination } from './destination.js';
import { alertTextLines } from './text.js';

/**
 * Writes alerts as lines: the text form (headline, changed fields, show command), or one JSON line per alert,
 * the {@link Alert} as is.
 */
export function stdoutDestination(
  name: string,
  config: StdoutConfig,
  write: (line: string) => void,
): AlertDestination {
  return {
    name,
    async send(alert: Alert): Promise<void> {
      if (config.format === 'json') write(JSON.stringify(alert));
      else for (const line of alertTextLines(alert)) write(line);
    },
  };
}
