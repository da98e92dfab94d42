// Module loader hooks of module-log.mjs: record each module loaded.
import { appendFileSync } from 'node:fs';

const LOG = process.env.TIDEMARK_MODULE_LOG;

export async function load(url, context, nextLoad) {
  if (LOG) appendFileSync(LOG, `${url}\n`);
  return nextLoad(url, context);
}
