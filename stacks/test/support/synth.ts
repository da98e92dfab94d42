import type { ResourceDefinition } from '@tidemark/core/deploy';
import { Template } from 'aws-cdk-lib/assertions';
import { App, getStack, use } from 'sst/constructs';
import type { FunctionalStack } from 'sst/constructs/FunctionalStack.js';
import { initProject } from 'sst/project.js';
import { configure, type TidemarkSettings } from '../../config.js';

/** The account every synthesized stack belongs to. */
export const ACCOUNT = '123456789012';

/** What to synthesize: the app's region and stage, the deployment's settings, the registry. */
export interface SynthOptions {
  /** @default the settings' home region, else us-east-1 */
  readonly region?: string;
  /** @default 'test' */
  readonly stage?: string;
  readonly settings?: TidemarkSettings;
  readonly definitions?: readonly ResourceDefinition[];
}

/** The synthesized stacks of one app: each one's CloudFormation template and what its function returned. */
export interface Synthesized {
  template(stack: FunctionalStack<unknown>): Template;
  exports<T>(stack: FunctionalStack<T>): T;
}

let project: Promise<unknown> | undefined;

/**
 * Synthesizes the stacks, in order, as `sst deploy` would but without AWS: stacks are marked inactive, so
 * SST does not bundle the functions (their settings stay readable through `useFunctions()`).
 */
export async function synthesize(
  stacks: readonly FunctionalStack<unknown>[],
  options: SynthOptions = {},
): Promise<Synthesized> {
  project ??= initProject({ stage: 'test' });
  await project;
  const region = options.region ?? options.settings?.homeRegion ?? 'us-east-1';
  const app = new App({
    mode: 'deploy',
    stage: options.stage ?? 'test',
    region,
    account: ACCOUNT,
    name: 'tidemark',
    isActiveStack: () => false,
  });
  configure(app, options.settings, options.definitions);
  for (const stack of stacks) app.stack(stack);
  await app.finish();
  const templates = new Map(stacks.map((stack) => [stack, Template.fromStack(getStack(stack))]));
  const exports = new Map(stacks.map((stack) => [stack, use(stack)]));
  return {
    template: (stack) => {
      const template = templates.get(stack);
      if (!template) throw new Error(`stack ${stack.name} was not synthesized`);
      return template;
    },
    exports: <T>(stack: FunctionalStack<T>) => exports.get(stack) as T,
  };
}
