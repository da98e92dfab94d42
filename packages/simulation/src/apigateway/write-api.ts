import {
  CreateDeploymentCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  PutRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { type CallContext, type CallTarget, defineOperation, type Operation } from '../dispatch.js';
import { apiGatewayArn } from './api.js';
import type { ApiGatewayWrites, WriteCall } from './writes.js';

/**
 * The REST API calls that change the simulated account, each answered through {@link ApiGatewayWrites} in the
 * caller's region, with the caller's user agent in its CloudTrail record: `PutRestApi`, `CreateDeployment` (201),
 * `CreateStage` (201), `UpdateStage`, `DeleteDeployment` and `DeleteRestApi` (202). API Gateway authorises each as
 * the HTTP verb on the resource path (`apigateway:PUT` on `/restapis/<id>`).
 */
export function apiGatewayWriteOperations(writes: ApiGatewayWrites): Operation[] {
  const from = (call: CallContext): WriteCall => ({ region: call.region, userAgent: call.userAgent });
  const under =
    <I extends { restApiId?: string | undefined }>(suffix: (input: I) => string = () => '') =>
    (input: I, call: CallContext): CallTarget => ({
      ids: [input.restApiId ?? ''],
      arn: apiGatewayArn(call.region, `/restapis/${input.restApiId}${suffix(input)}`),
    });
  return [
    defineOperation(PutRestApiCommand, {
      action: 'apigateway:PUT',
      target: under(),
      answer: (input, call) => writes.putRestApi(input, from(call)).answer,
    }),
    defineOperation(CreateDeploymentCommand, {
      action: 'apigateway:POST',
      target: under(() => '/deployments'),
      answer: (input, call) => {
        const { answer } = writes.createDeployment(input, from(call));
        call.status = 201;
        return answer;
      },
    }),
    defineOperation(CreateStageCommand, {
      action: 'apigateway:POST',
      target: under(() => '/stages'),
      answer: (input, call) => {
        const { answer } = writes.createStage(input, from(call));
        call.status = 201;
        return answer;
      },
    }),
    defineOperation(UpdateStageCommand, {
      action: 'apigateway:PATCH',
      target: under(
        (input: { restApiId?: string | undefined; stageName?: string | undefined }) =>
          `/stages/${input.stageName}`,
      ),
      answer: (input, call) => writes.updateStage(input, from(call)).answer,
    }),
    defineOperation(DeleteDeploymentCommand, {
      action: 'apigateway:DELETE',
      target: under(
        (input: { restApiId?: string | undefined; deploymentId?: string | undefined }) =>
          `/deployments/${input.deploymentId}`,
      ),
      answer: (input, call) => {
        writes.deleteDeployment(input, from(call));
        call.status = 202;
        return {};
      },
    }),
    defineOperation(DeleteRestApiCommand, {
      action: 'apigateway:DELETE',
      target: under(),
      answer: (input, call) => {
        writes.deleteRestApi(input, from(call));
        call.status = 202;
        return {};
      },
    }),
  ];
}
