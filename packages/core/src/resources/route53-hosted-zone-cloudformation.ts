import { logicalId, objectsOf, properties, renamed, tagList, text } from '../export/mapping.js';
import type {
  CloudFormationInput,
  CloudFormationMapping,
  CloudFormationResource,
  CloudFormationSpec,
} from '../export/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { bareRoute53Id } from './route53-shared.js';
import { isJsonObject } from './support.js';

const TYPE = 'AWS::Route53::HostedZone';

/** Record set fields CloudFormation names as `ListResourceRecordSets` does. */
const SAME_NAMES = [
  'Type',
  'SetIdentifier',
  'Weight',
  'Region',
  'Failover',
  'GeoLocation',
  'GeoProximityLocation',
  'CidrRoutingConfig',
  'MultiValueAnswer',
  'HealthCheckId',
] as const;

/** Records Route 53 creates with the zone at its apex: CloudFormation creates them too, so they are left out. */
const APEX_RECORDS = ['NS', 'SOA'];

/**
 * `AWS::Route53::HostedZone` as CloudFormation: the zone (name, comment, VPCs of a private zone, query logging, tags)
 * and one `AWS::Route53::RecordSet` per record set but the apex NS and SOA, with every routing policy; an alias to a
 * record of the same zone refers to the zone. DNSSEC signing is left out: its keys live in KMS.
 */
export const route53HostedZoneCloudFormation: CloudFormationSpec = { map: mapZone };

function mapZone({ resource, document }: CloudFormationInput): CloudFormationMapping {
  const zone = isJsonObject(document.HostedZone) ? document.HostedZone : {};
  const name = text(zone.Name) ?? '';
  const zoneId = logicalId(TYPE, resource.region, resource.id);
  const logging = objectsOf(document.QueryLoggingConfigs)[0];
  const resources: Record<string, CloudFormationResource> = {
    [zoneId]: {
      Type: TYPE,
      Properties: properties({
        Name: name,
        HostedZoneConfig: renamed(zone.Config, { Comment: 'Comment' }),
        VPCs: objectsOf(document.VPCs).map((vpc) =>
          properties({ VPCId: vpc.VPCId, VPCRegion: vpc.VPCRegion }),
        ),
        QueryLoggingConfig: renamed(logging, { CloudWatchLogsLogGroupArn: 'CloudWatchLogsLogGroupArn' }),
        HostedZoneTags: tagList(document.Tags),
      }),
    },
  };
  const records = isJsonObject(document.RecordSets) ? document.RecordSets : {};
  for (const key of Object.keys(records).sort()) {
    const record = records[key];
    if (!isJsonObject(record) || (record.Name === name && APEX_RECORDS.includes(String(record.Type))))
      continue;
    resources[logicalId('AWS::Route53::RecordSet', resource.region, `${resource.id}/${key}`)] = {
      Type: 'AWS::Route53::RecordSet',
      Properties: recordSet(record, resource.id, zoneId),
    };
  }
  const signing =
    isJsonObject(document.DNSSEC) &&
    isJsonObject(document.DNSSEC.Status) &&
    document.DNSSEC.Status.ServeSignature === 'SIGNING';
  return {
    resources,
    ...(signing
      ? {
          leftOut: [
            'DNSSEC: signing uses KMS keys; sign again with AWS::Route53::KeySigningKey and AWS::Route53::DNSSEC',
          ],
        }
      : {}),
  };
}

/** A record set's properties: the zone referred to, `\052` written `*`, TTL as the string CloudFormation takes. */
function recordSet(record: JsonObject, zone: string, zoneId: string): JsonObject {
  const alias = isJsonObject(record.AliasTarget) ? record.AliasTarget : undefined;
  const sameZone = (id: Json | undefined) => bareRoute53Id(id) === zone;
  return properties({
    HostedZoneId: { Ref: zoneId },
    Name: text(record.Name)?.replaceAll('\\052', '*'),
    ...Object.fromEntries(SAME_NAMES.map((field) => [field, record[field]])),
    TTL: typeof record.TTL === 'number' ? String(record.TTL) : undefined,
    ResourceRecords: objectsOf(record.ResourceRecords).map((value) => value.Value ?? null),
    AliasTarget:
      alias &&
      properties({
        DNSName: alias.DNSName,
        HostedZoneId: sameZone(alias.HostedZoneId) ? { Ref: zoneId } : alias.HostedZoneId,
        EvaluateTargetHealth: alias.EvaluateTargetHealth,
      }),
  });
}
