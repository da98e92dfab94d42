import { isDeepStrictEqual } from 'node:util';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { createdSince, unread } from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import { type PlanInput, type PlannedChange, RestoreAction, type RestoreSpec } from '../restore/types.js';
import type { JsonObject } from '../types/json.js';
import { route53Service } from './services.js';

/** Route 53's actions in a change batch, in the order a restore sends them. */
const ACTION_ORDER = ['DELETE', 'UPSERT', 'CREATE'] as const;
type ChangeAction = (typeof ACTION_ORDER)[number];

/**
 * How a zone is restored: one change batch that makes its record sets equal the captured ones, applied atomically by
 * Route 53. Deletions come first, so a name whose type changed (an A record that became a CNAME) is freed before it
 * is created again. The apex SOA and NS records are Route 53's and are left alone. A deleted zone is not re-created:
 * a new zone has a new id and new name servers.
 */
export const route53HostedZoneRestore: RestoreSpec = {
  plan: planZone,
  apply: commandApplier(route53Service, { ChangeResourceRecordSets: ChangeResourceRecordSetsCommand }),
};

function planZone({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live);
  if (!live)
    return {
      action: RestoreAction.CANNOT,
      reason:
        'the zone was deleted: a zone created again gets a new id and new name servers, so create it and point the registrar at them first',
      steps: [],
    };
  if (unread(captured.document.RecordSets) || unread(live.document.RecordSets))
    return {
      action: RestoreAction.CANNOT,
      reason:
        'its records were not read at one of the two moments (see its gaps): there is nothing to compare',
      steps: [],
    };
  const zoneName = String((captured.document.HostedZone as JsonObject | undefined)?.Name ?? '');
  const before = recordsOf(captured.document, zoneName);
  const now = recordsOf(live.document, zoneName);
  const changes: Array<{ Action: ChangeAction; ResourceRecordSet: JsonObject }> = [];
  for (const [key, record] of now)
    if (!before.has(key)) changes.push({ Action: 'DELETE', ResourceRecordSet: record });
  for (const [key, record] of before) {
    const current = now.get(key);
    if (!current) changes.push({ Action: 'CREATE', ResourceRecordSet: record });
    else if (!isDeepStrictEqual(current, record))
      changes.push({ Action: 'UPSERT', ResourceRecordSet: record });
  }
  if (changes.length === 0) return { action: RestoreAction.NOTHING, steps: [] };
  changes.sort((a, b) => ACTION_ORDER.indexOf(a.Action) - ACTION_ORDER.indexOf(b.Action));
  const count = (action: ChangeAction) => changes.filter((change) => change.Action === action).length;
  return {
    action: RestoreAction.UPDATE,
    steps: [
      {
        service: 'route53',
        operation: 'ChangeResourceRecordSets',
        region: target.region,
        input: {
          HostedZoneId: target.id,
          ChangeBatch: { Comment: 'tidemark restore', Changes: changes },
        },
        summary: `one atomic change batch: delete ${count('DELETE')}, update ${count('UPSERT')}, create ${count('CREATE')} record sets`,
      },
    ],
  };
}

/** A zone document's record sets by key, without the apex SOA and NS records Route 53 manages. */
function recordsOf(document: JsonObject, zoneName: string): Map<string, JsonObject> {
  const records = new Map<string, JsonObject>();
  for (const [key, record] of Object.entries((document.RecordSets ?? {}) as Record<string, JsonObject>)) {
    if (record.Name === zoneName && (record.Type === 'SOA' || record.Type === 'NS')) continue;
    records.set(key, record);
  }
  return records;
}
