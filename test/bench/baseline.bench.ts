import { type BaselineReport, runBaseline } from '@tidemark/core';
import {
  type BenchScenario,
  describeCalls,
  formatBytes,
  perSecond,
  Report,
  round,
  timed,
  withSimulatedRig,
  withTempDir,
} from './support.js';

/** Extra generated content on top of the simulated small business. */
const SCALE = { objects: 2_000, functions: 50 };
const REGIONS = ['us-east-1'];

function totals(report: BaselineReport) {
  const tallies = Object.values(report.byType);
  return {
    resources: tallies.reduce((sum, tally) => sum + tally.resources, 0),
    newVersions: tallies.reduce((sum, tally) => sum + tally.newVersions + tally.deleted, 0),
  };
}

/**
 * A full baseline of the simulated account through the real engine (SDK clients answered in-process by the
 * simulation, store on the local disk), then the same baseline again with nothing changed.
 */
export const baselineBench: BenchScenario = {
  id: 'baseline',
  title: `Baseline: simulated account + ${SCALE.objects.toLocaleString('en-US')} objects + ${SCALE.functions} functions (${REGIONS.join(', ')})`,
  async run(log) {
    const out = new Report();
    out.note(
      'Real CaptureEngine + runBaseline; AWS answered in-process by SimulatedAccount; store in a temp folder.',
    );
    await withTempDir('baseline', (folder) =>
      withSimulatedRig(folder, SCALE, async ({ account, store, engine }) => {
        account.resetCallCounts();
        log('first baseline…');
        const first = await timed(() => runBaseline(engine, { regions: REGIONS }));
        const firstCalls = account.callCounts();
        const firstTotals = totals(first.result);
        const { bytes } = first.result;
        out.metric('wall time', round(first.ms), 'ms');
        out.metric('resources captured', firstTotals.resources);
        out.metric('throughput', perSecond(firstTotals.resources, first.ms), 'resources/s');
        for (const [type, tally] of Object.entries(first.result.byType).sort(([a], [b]) => (a < b ? -1 : 1)))
          out.metric(
            `  ${type}`,
            tally.resources,
            'resources',
            `${tally.newVersions} new versions, ${tally.gaps} gaps, ${tally.failed} failed`,
          );
        out.metric('versions written', firstTotals.newVersions);
        out.metric('bytes downloaded', bytes.downloaded, 'bytes', formatBytes(bytes.downloaded));
        out.metric('bytes stored', bytes.stored, 'bytes', formatBytes(bytes.stored));
        out.metric('bytes deduplicated', bytes.deduplicated, 'bytes', formatBytes(bytes.deduplicated));
        out.metric('gaps / failures', `${first.result.gaps.length} / ${first.result.failures.length}`);
        out.metric('SDK calls', firstCalls.total, 'calls', describeCalls(firstCalls, 6));
        out.metric('SDK calls per resource', round(firstCalls.total / firstTotals.resources, 2));
        out.details.first = {
          wallMs: first.ms,
          byType: first.result.byType,
          bytes,
          gaps: first.result.gaps.length,
          failures: first.result.failures,
          sdkCalls: firstCalls,
        };

        account.resetCallCounts();
        log('no-change re-run…');
        const again = await timed(() => runBaseline(engine, { regions: REGIONS }));
        const againCalls = account.callCounts();
        const againTotals = totals(again.result);
        const getObject = againCalls.GetObject ?? 0;
        out.metric('re-run: wall time', round(again.ms), 'ms');
        out.metric('re-run: resources confirmed', againTotals.resources);
        out.metric('re-run: bytes downloaded', again.result.bytes.downloaded, 'bytes');
        out.metric('re-run: GetObject calls', getObject, 'calls');
        out.metric('re-run: new versions', againTotals.newVersions);
        out.metric('re-run: SDK calls', againCalls.total, 'calls', describeCalls(againCalls, 4));
        const counts = store.index.counts();
        out.metric(
          'versions in the index after both runs',
          counts.versions,
          '',
          `${counts.resources} resources, ${counts.baselines} baselines`,
        );
        out.must(
          'no-change re-run downloads 0 bytes',
          again.result.bytes.downloaded === 0,
          again.result.bytes.downloaded,
        );
        out.must('no-change re-run makes 0 GetObject calls', getObject === 0, getObject);
        out.must(
          'no-change re-run writes 0 new versions',
          againTotals.newVersions === 0,
          againTotals.newVersions,
        );
        out.details.rerun = {
          wallMs: again.ms,
          byType: again.result.byType,
          bytes: again.result.bytes,
          sdkCalls: againCalls,
        };
      }),
    );
    return out.result(this.id, this.title);
  },
};
