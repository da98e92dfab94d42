import {
  AccessDeniedException,
  CloudTrailClient,
  CloudTrailServiceException,
  type Event,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  LookupEventsCommand,
  type Resource,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { defineOperation, type InputOf, type ServiceProfile } from './dispatch.js';
import { fault, injectedFaults } from './errors.js';
import type { AccountModel } from './model.js';
import { decodeMarker, encodeMarker } from './paging.js';
import type { EventBridgeApiCallEnvelope, SimulatedCloudTrailRecord } from './types.js';

const MAX_RESULTS = 50;

type LookupAttribute = NonNullable<InputOf<typeof LookupEventsCommand>['LookupAttributes']>[number];

/**
 * The CloudTrail API of the simulated account: `LookupEvents` over the management events the account's changes
 * emitted in the caller's region, newest first. Data events (S3 object writes) are not in event history, as in AWS.
 */
export function cloudTrailProfile(model: AccountModel): ServiceProfile {
  return {
    service: 'cloudtrail',
    exceptions: {
      base: CloudTrailServiceException,
      modeled: {
        AccessDeniedException,
        InvalidLookupAttributesException,
        InvalidMaxResultsException,
        InvalidNextTokenException,
        InvalidTimeRangeException,
        ThrottlingException,
      },
    },
    client: CloudTrailClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDeniedException', status: 400, namesResource: false },
    }),
    operations: [
      defineOperation(LookupEventsCommand, {
        action: 'cloudtrail:LookupEvents',
        answer: (input, call) => {
          const maxResults = input.MaxResults ?? MAX_RESULTS;
          if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
            throw fault('InvalidMaxResultsException', 400, 'Value for parameter MaxResults is not valid');
          }
          const attributes = input.LookupAttributes ?? [];
          if (attributes.length > 1) {
            throw fault(
              'InvalidLookupAttributesException',
              400,
              'You can only specify one lookup attribute.',
            );
          }
          const { StartTime: start, EndTime: end } = input;
          if (start && end && start.getTime() > end.getTime()) {
            throw fault('InvalidTimeRangeException', 400, 'Start date must be earlier than end date.');
          }
          const records = input.EventCategory === 'insight' ? [] : managementRecords(model, call.region);
          const selected = records.filter(
            (record) =>
              (!start || Date.parse(record.eventTime) >= start.getTime()) &&
              (!end || Date.parse(record.eventTime) <= end.getTime()) &&
              attributes.every((attribute) => matches(record, attribute)),
          );
          const from = input.NextToken === undefined ? 0 : resumeIndex(selected, input.NextToken);
          const page = selected.slice(from, from + maxResults);
          const last = page.at(-1);
          const more = from + maxResults < selected.length;
          return {
            Events: page.map(lookupEvent),
            ...(more && last ? { NextToken: encodeMarker(last.eventID) } : {}),
          };
        },
      }),
    ],
  };
}

/** Management events recorded in `region`, newest first. */
function managementRecords(model: AccountModel, region: string): SimulatedCloudTrailRecord[] {
  return model.events
    .filter(
      (event): event is EventBridgeApiCallEnvelope => event['detail-type'] === 'AWS API Call via CloudTrail',
    )
    .map((event) => event.detail)
    .filter((record) => record.managementEvent && record.awsRegion === region)
    .reverse()
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
}

function resumeIndex(records: readonly SimulatedCloudTrailRecord[], token: string): number {
  const eventId = decodeMarker(token);
  const index = eventId === undefined ? -1 : records.findIndex((record) => record.eventID === eventId);
  if (index < 0) throw fault('InvalidNextTokenException', 400, 'Invalid NextToken');
  return index + 1;
}

function matches(record: SimulatedCloudTrailRecord, attribute: LookupAttribute): boolean {
  const value = attribute.AttributeValue;
  switch (attribute.AttributeKey) {
    case 'EventId':
      return record.eventID === value;
    case 'EventName':
      return record.eventName === value;
    case 'EventSource':
      return record.eventSource === value;
    case 'ReadOnly':
      return String(record.readOnly) === value;
    case 'Username':
      return record.userIdentity.userName === value;
    case 'AccessKeyId':
      return record.userIdentity.accessKeyId === value;
    case 'ResourceType':
      return resources(record).some((resource) => resource.ResourceType === value);
    case 'ResourceName':
      return resources(record).some((resource) => resource.ResourceName === value);
    default:
      return false;
  }
}

function lookupEvent(record: SimulatedCloudTrailRecord): Event {
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: String(record.readOnly),
    AccessKeyId: record.userIdentity.accessKeyId,
    EventTime: new Date(record.eventTime),
    EventSource: record.eventSource,
    ...(record.userIdentity.userName === undefined ? {} : { Username: record.userIdentity.userName }),
    Resources: resources(record),
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** The resources event history lists for a record: S3's own `resources`, or the function a Lambda call named. */
function resources(record: SimulatedCloudTrailRecord): Resource[] {
  if (record.resources) {
    return record.resources.map((resource) => ({
      ResourceType: resource.type,
      ResourceName: resource.ARN.replace(/^arn:aws:s3:::/, ''),
    }));
  }
  const functionName = record.requestParameters?.functionName;
  return typeof functionName === 'string'
    ? [{ ResourceType: 'AWS::Lambda::Function', ResourceName: functionName.replace(/^arn:.*:function:/, '') }]
    : [];
}
