import type { StateFilter } from '@tidemark/core/store';
import type { GlobalOptions } from '../session.js';

/** The resource filter of a read command's `--type`, `--region` and `--id GLOB`. */
export function resourceFilter(options: GlobalOptions & { type?: string; id?: string }): StateFilter {
  return {
    ...(options.type ? { type: options.type } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.id ? { idGlob: options.id } : {}),
  };
}
