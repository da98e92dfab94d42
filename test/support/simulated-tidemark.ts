/**
 * `tidemark <argv…>` against a simulated account, alone in its process, for tests that stop the command from
 * outside (`kill -9`). The simulation answers the AWS SDK in-process, so it runs in the CLI's process, both from
 * the sources: `node --conditions=source --import tsx test/support/simulated-tidemark.ts <args…>` from the
 * repository root. `TIDEMARK_SIMULATED_OBJECTS` adds that many objects to the account. Exits with the command's
 * exit code.
 */
import { main } from '@tidemark/cli';
import { SimulatedAccount } from '@tidemark/simulation';
import { processIo } from '../../packages/cli/src/io.js';

const account = await SimulatedAccount.start({
  scale: { objects: Number(process.env.TIDEMARK_SIMULATED_OBJECTS ?? 0) },
});
try {
  process.exitCode = await main(['node', 'tidemark', ...process.argv.slice(2)], processIo());
} finally {
  await account.stop();
}
