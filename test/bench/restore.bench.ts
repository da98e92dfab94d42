import {
  AwsClients,
  applyRestore,
  newRestoreId,
  planRestore,
  restoreUserAgent,
  runBaseline,
} from '@tidemark/core';
import { MEDIA_BUCKET } from '@tidemark/simulation';
import {
  type BenchScenario,
  describeCalls,
  generatedObjectKey,
  Report,
  round,
  timed,
  withSimulatedRig,
  withTempDir,
} from './support.js';

/** Objects and functions changed after the baseline, then restored. */
const OBJECTS = 1_000;
const FUNCTIONS = 20;

/**
 * `npm run bench -- restore`: 1,000 objects of a versioned bucket and 20 functions changed after a baseline, then
 * restored to it: the plan (live reads), then its application (a capture before, the calls, a capture after).
 */
export const restoreBench: BenchScenario = {
  id: 'restore',
  title: `restore ${OBJECTS.toLocaleString('en-US')} objects and ${FUNCTIONS} functions to a baseline`,
  run: (log) =>
    withTempDir('restore', (folder) =>
      withSimulatedRig(
        folder,
        { objects: OBJECTS, functions: FUNCTIONS },
        async ({ account, engine, sealer }) => {
          const report = new Report();
          const baseline = await runBaseline(engine, { label: 'v1.0', regions: ['us-east-1'] });
          log(`baseline ${baseline.label} in ${round(baseline.durationMs)} ms`);
          for (let i = 0; i < OBJECTS; i++)
            account.putObject(MEDIA_BUCKET, generatedObjectKey(i), `changed ${i}`);
          const functions = [...Array(FUNCTIONS).keys()].map((i) => `fn-${String(i + 1).padStart(4, '0')}`);
          for (const name of functions)
            account.updateFunctionCode(name, { 'index.mjs': `// changed ${name}\n` });
          const at = new Date(baseline.completedAt);

          account.resetCallCounts();
          const planned = await timed(async () => [
            await planRestore(engine, sealer, {
              at,
              filter: { type: 'AWS::S3::Object', idGlob: `${MEDIA_BUCKET}/generated/*` },
            }),
            await planRestore(engine, sealer, {
              at,
              filter: { type: 'AWS::Lambda::Function', idGlob: 'fn-*' },
            }),
          ]);
          const planCalls = account.callCounts();
          const plans = planned.result;
          const resources = plans.flatMap((plan) => plan.resources);
          report.must(
            'every changed object and function planned, none skipped',
            resources.filter((resource) => resource.steps.length > 0).length === OBJECTS + FUNCTIONS,
            `${resources.filter((resource) => resource.steps.length > 0).length} of ${OBJECTS + FUNCTIONS}`,
          );

          account.resetCallCounts();
          const restoreId = newRestoreId();
          const clients = new AwsClients({ userAgent: restoreUserAgent(restoreId) });
          const applied = await timed(async () => {
            const reports = [];
            for (const plan of plans)
              reports.push(await applyRestore(engine, plan, { restoreId, clients, sealer }));
            return reports;
          });
          const applyCalls = account.callCounts();
          const outcomes = applied.result.flatMap((restore) => restore.resources);
          const restored = outcomes.filter((outcome) => outcome.status.startsWith('restored')).length;
          report.must(
            'every one restored',
            restored === OBJECTS + FUNCTIONS,
            `${restored} of ${OBJECTS + FUNCTIONS}`,
          );

          const total = OBJECTS + FUNCTIONS;
          report.metric(
            'plan: wall time',
            round(planned.ms),
            'ms',
            'live state of each resource read as a capture would',
          );
          report.metric(
            'plan: API calls per resource',
            round(planCalls.total / total, 2),
            'calls',
            describeCalls(planCalls, 6),
          );
          report.metric(
            'apply: wall time',
            round(applied.ms),
            'ms',
            'capture before, the calls, capture after',
          );
          report.metric(
            'apply: API calls per resource',
            round(applyCalls.total / total, 2),
            'calls',
            describeCalls(applyCalls, 8),
          );
          report.metric('apply: resources per second', round((total / applied.ms) * 1000), '/s');
          report.details.planCalls = planCalls;
          report.details.applyCalls = applyCalls;
          report.note(
            `${OBJECTS} objects of the versioned ${MEDIA_BUCKET} bucket (each copied back from its captured version) and ${FUNCTIONS} functions (code from the stored zip), changed after baseline v1.0.`,
          );
          return report.result(restoreBench.id, restoreBench.title);
        },
      ),
    ),
};
