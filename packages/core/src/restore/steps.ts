import type { AwsService } from '../resources/service.js';
import type { JsonObject } from '../types/json.js';
import type { BlobReference, RestoreContext, RestoreStep } from './types.js';

/** A reference to a stored blob in a step's input: its bytes are read from the store when the step is sent. */
export function blobReference(hash: string): BlobReference {
  return { $blob: hash };
}

/** An SDK command class whose input the step's (resolved) input is. */
type CommandOf = new (input: never) => object;

/** A client that sends commands. */
interface Sender {
  send(command: object): Promise<unknown>;
}

/**
 * Sends a step as one SDK command of `service`: its input with blobs read and secrets unsealed, within the service's
 * rate limit, to the step's region. Returns the response.
 */
export async function sendCommand(
  ctx: RestoreContext,
  service: AwsService,
  Command: CommandOf,
  step: RestoreStep,
  input: JsonObject = step.input,
): Promise<unknown> {
  const resolved = (await ctx.resolve(input)) as never;
  const client = ctx.client(service, step.region) as unknown as Sender;
  return ctx.limited(service, () => client.send(new Command(resolved)));
}

/**
 * The `apply` of a type whose steps are each one SDK command: the operation names the command.
 *
 * @example
 * apply: commandApplier(s3Service, { PutBucketPolicy: PutBucketPolicyCommand })
 */
export function commandApplier(
  service: AwsService,
  commands: Readonly<Record<string, CommandOf>>,
): (ctx: RestoreContext, step: RestoreStep) => Promise<void> {
  return async (ctx, step) => {
    const Command = commands[step.operation];
    if (!Command) throw new Error(`${service.name} has no restore step ${step.operation}`);
    await sendCommand(ctx, service, Command, step);
  };
}
