import { redactSealed } from '@tidemark/core/query';
import type { ResourcePlan, RestorePlan, RestoreReport } from '@tidemark/core/restore';
import type { Io } from '../io.js';
import { printable } from './printable.js';

/** Paths of differing fields named per resource; the others are counted. */
const DIFFERS_NAMED = 6;

/** The plan as text (`moment` as the user wrote it): every resource that needs calls, each call's exact input (secrets masked). */
export function renderPlan(io: Io, plan: RestorePlan, moment: string): void {
  const acting = plan.resources.filter((resource) => resource.action !== 'nothing');
  const sent = acting.filter((resource) => resource.sends);
  const calls = sent.reduce((sum, resource) => sum + resource.steps.length, 0);
  const others = acting.length - sent.length;
  const at = moment === plan.at ? plan.at : `${moment} (${plan.at})`;
  io.out(
    printable(
      `Restore to ${at}: ${sent.length} of ${plan.resources.length} resources to change with ${calls} API calls${
        others > 0 ? `, ${others} more kept, left to do by hand or not restorable (below)` : ''
      } (live state read at ${plan.readAt})`,
    ),
  );
  for (const resource of acting) renderResourcePlan(io, resource);
  const unchanged = plan.resources.length - acting.length;
  if (unchanged > 0) io.out(`  nothing to do for ${unchanged} resources: live is as captured`);
  for (const gap of plan.gaps)
    io.err(
      printable(
        `warning: not planned, live state unreadable: ${gap.type} ${gap.id ?? '(all)'}: ${gap.operation} ${gap.code}`,
      ),
    );
  for (const failure of plan.failures)
    io.err(
      printable(`warning: not planned: ${failure.resource.type} ${failure.resource.id}: ${failure.error}`),
    );
}

function renderResourcePlan(io: Io, plan: ResourcePlan): void {
  const copy = plan.target.id === plan.resource.id ? '' : ` -> ${plan.target.id}`;
  io.out(
    printable(
      `  ${plan.action.toUpperCase()}  ${plan.resource.type} ${plan.resource.id}${copy} (${plan.resource.region})`,
    ),
  );
  if (plan.reason) io.out(printable(`    ${plan.reason}`));
  if (plan.differs.length > 0) {
    const more = plan.differs.length - DIFFERS_NAMED;
    io.out(
      printable(
        `    differs: ${plan.differs.slice(0, DIFFERS_NAMED).join(', ')}${more > 0 ? ` (+${more})` : ''}`,
      ),
    );
  }
  if (plan.steps.length > 0 && !plan.sends) io.out('    calls to make by hand:');
  for (const [index, step] of plan.steps.entries()) {
    io.out(
      printable(
        `    ${index + 1}. ${step.service} ${step.operation} ${JSON.stringify(redactSealed(step.input))}`,
      ),
    );
    io.out(printable(`       ${step.summary}`));
  }
  for (const note of plan.notes ?? []) io.out(printable(`    note: ${note}`));
}

/** What applying did: one line per resource that had calls, then the counts. */
export function renderReport(io: Io, report: RestoreReport): void {
  for (const outcome of report.resources) {
    if (outcome.status === 'skipped') continue;
    const { type, id } = outcome.target;
    io.out(printable(`  ${outcome.status.toUpperCase()}  ${type} ${id}`));
    if (outcome.message) io.out(printable(`    ${outcome.message}`));
    for (const step of outcome.steps)
      if (step.status !== 'applied')
        io.out(printable(`    ${step.operation} ${step.status}: ${step.error ?? ''}`));
    if (outcome.differs)
      io.out(printable(`    still differs after the restore: ${outcome.differs.join(', ')}`));
  }
  const count = (status: string) => report.resources.filter((outcome) => outcome.status === status).length;
  const cannot = report.resources.filter((outcome) => outcome.action === 'cannot').length;
  io.out(
    `restore ${report.restoreId}: ${count('restored') + count('restored-with-differences')} restored, ${count('partial')} partly, ${count('failed') + count('unverified')} failed or unverified, ${count('conflict')} changed since the plan (not touched), ${cannot} cannot be restored, ${count('by-hand')} left to do by hand`,
  );
  io.out(
    `Each resource's state before the restore is stored: tidemark history RESOURCE shows it (cause restore ${report.restoreId}).`,
  );
}
