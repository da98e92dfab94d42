import {
  apiCallPatterns,
  definitionsEmittingIn,
  InputError,
  notificationPatterns,
} from '@tidemark/core/deploy';
import { EventBus as Bus } from 'aws-cdk-lib/aws-events';
import { EventBus } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { StackContext } from 'sst/constructs';
import { configOf, forwardingRegionsOf } from './config.js';
import { addRules } from './rules.js';

/**
 * Deployed in a region other than home (`npx sst deploy --region us-east-1`): rules matching the events that
 * arrive in this region (global services' calls in us-east-1, regional services' calls and S3 object
 * notifications in other captured regions) forward them to the home region's default event bus, where the
 * `Capture` stack's rules take them into the queue.
 */
export function Forward({ app, stack }: StackContext) {
  const config = configOf(app);
  const regions = forwardingRegionsOf(config);
  if (!regions.includes(app.region))
    throw new InputError(
      `nothing to forward from ${app.region}: deploy to the home region ${config.homeRegion}` +
        (regions.length > 0 ? ` and to ${regions.join(', ')}` : ''),
    );
  const definitions = definitionsEmittingIn(config.definitions, app.region, config.regions);
  const homeBus = Bus.fromEventBusArn(
    stack,
    'HomeBus',
    `arn:${stack.partition}:events:${config.homeRegion}:${stack.account}:event-bus/default`,
  );
  const role = new Role(stack, 'ForwardRole', {
    description: `Tidemark: forwards events from ${app.region} to ${config.homeRegion}`,
    assumedBy: new ServicePrincipal('events.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  });
  const rules = addRules(
    stack,
    [
      ...apiCallPatterns(definitions),
      ...notificationPatterns(definitions, { tracked: { 'aws.s3': config.objectBuckets } }),
    ],
    new EventBus(homeBus, { role }),
  );
  return { rules };
}
