import { createInterface } from 'node:readline/promises';
import { InputError } from '@tidemark/core/errors';
import { resolveResource, resolveTime } from '@tidemark/core/query';
import {
  applyRestore,
  newRestoreId,
  planRestore,
  type ResourceOutcome,
  type RestorePlan,
  restoreUserAgent,
} from '@tidemark/core/restore';
import type { Action, CommandContext } from '../command.js';
import type { RestoreOptions } from '../commands/restore.js';
import { ExitCode } from '../exit-code.js';
import { renderPlan, renderReport } from '../render/restore.js';
import { resourceFilter } from './filter.js';

/** Bucket names S3 accepts (general purpose buckets). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `tidemark restore`: plans the restore and prints it; with `--apply` and a confirmation, applies it and prints what
 * each resource's restore did. Bad input is refused before the store is opened.
 */
export const restore: Action<RestoreOptions, [string[]]> = async ({ session, options, io }, names) => {
  checkOptions(options, names);
  const store = await session.store();
  const at = resolveTime(options.at, store.baselines());
  const resources = names.map((name) => resolveResource(store, name, options.region));
  const profile = options.toAccountProfile;
  // The engine of the account restored into: --to-account-profile's, else the one --profile reaches.
  const engine = await session.engine({ readOnly: options.apply !== true, ...(profile ? { profile } : {}) });
  const account = profile ? await otherAccount(session, engine.account, profile) : undefined;
  const { sealer } = await session.captureKey(store);
  const copy = {
    ...(account ? { account } : {}),
    ...(options.toBucket ? { bucket: options.toBucket } : {}),
    ...(options.toName ? { name: options.toName } : {}),
  };
  const plan = await planRestore(engine, sealer, {
    at,
    ...(resources.length > 0 ? { resources } : { filter: resourceFilter(options) }),
    prune: options.prune === true,
    ...(Object.keys(copy).length > 0 ? { copy } : {}),
  });
  const planOutcome = plan.gaps.length + plan.failures.length > 0 ? ExitCode.FAILED : ExitCode.OK;
  if (!options.apply) {
    if (options.json) io.out(JSON.stringify(plan, null, 2));
    else {
      renderPlan(io, plan, options.at);
      if (callsOf(plan) > 0) io.out('Nothing was changed: run again with --apply to apply this plan.');
    }
    return planOutcome;
  }
  if (!options.json) renderPlan(io, plan, options.at);
  if (callsOf(plan) === 0) {
    if (options.json) io.out(JSON.stringify({ plan, report: null }, null, 2));
    // Nothing to send: restored only if nothing was left that cannot be restored or is to be done by hand.
    const left = plan.resources.some((resource) => resource.action === 'cannot' || resource.steps.length > 0);
    return left ? ExitCode.FAILED : planOutcome;
  }
  if (!options.yes && !(await confirmed(plan))) {
    io.err('tidemark: nothing was changed');
    return ExitCode.FAILED;
  }
  const restoreId = newRestoreId();
  const clients = await session.writeClients(restoreUserAgent(restoreId), profile ?? options.profile);
  const report = await applyRestore(engine, plan, { restoreId, clients, sealer });
  if (options.json) io.out(JSON.stringify({ plan, report }, null, 2));
  else renderReport(io, report);
  return report.resources.every(restoredOrLeftAsPlanned) ? planOutcome : ExitCode.FAILED;
};

/**
 * Whether a resource is as the restore meant: restored (differences AWS assigns anew aside), nothing to do, or kept
 * because it was created since. Not when it cannot be restored, is left to be done by hand, or its calls failed.
 */
function restoredOrLeftAsPlanned(outcome: ResourceOutcome): boolean {
  if (outcome.status === 'skipped') return outcome.action !== 'cannot';
  return outcome.status === 'restored' || outcome.status === 'restored-with-differences';
}

/**
 * The account `profile` reaches, which must be another than the one the store's captures come from (`--profile`'s):
 * an InputError when it is the same.
 */
async function otherAccount(
  session: CommandContext<RestoreOptions>['session'],
  account: string,
  profile: string,
): Promise<string> {
  const home = await session.engine({ readOnly: true });
  if (home.account === account)
    throw new InputError(`--to-account-profile ${profile} reaches account ${account}, the one restored from`);
  return account;
}

/** Options that contradict each other or name nothing: an InputError before anything is opened. */
function checkOptions(options: RestoreOptions, names: readonly string[]): void {
  if (names.length === 0 && !options.all)
    throw new InputError('name the resources to restore, or --all (narrowed by --type, --id, --region)');
  if (names.length > 0 && (options.all || options.type || options.id))
    throw new InputError('name resources, or use --all with --type/--id, not both');
  if (options.toBucket && options.toName)
    throw new InputError('--to-bucket and --to-name cannot be used together');
  if (options.prune && (options.toBucket || options.toName || options.toAccountProfile))
    throw new InputError(
      '--prune cannot be used with a copy (--to-bucket, --to-name, --to-account-profile): a copy never deletes',
    );
  if (options.json && options.apply && !options.yes)
    throw new InputError('--json --apply prints no plan to confirm: review the plan first, then add --yes');
  if (options.toName && names.length !== 1)
    throw new InputError('--to-name restores exactly one named resource');
  if (options.toBucket && !BUCKET_NAME.test(options.toBucket))
    throw new InputError(`--to-bucket ${options.toBucket} is not a valid S3 bucket name`);
  if (options.yes && !options.apply)
    throw new InputError('--yes confirms --apply: add --apply, or leave --yes out');
  if (options.apply && !options.yes && !process.stdin.isTTY)
    throw new InputError('--apply asks for confirmation on a terminal: without one, add --yes');
}

/** The calls `--apply` would send (not those a plan leaves for the user to make). */
function callsOf(plan: RestorePlan): number {
  return plan.resources.reduce((sum, resource) => sum + (resource.sends ? resource.steps.length : 0), 0);
}

/** Asks on the terminal whether to apply the plan just printed. */
async function confirmed(plan: RestorePlan): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `Apply these ${callsOf(plan)} calls to the live account? Type yes to apply: `,
    );
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    prompt.close();
  }
}
