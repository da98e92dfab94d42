import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Json, JsonObject } from '../types/json.js';

const POLICY_LIST_FIELDS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

/** Canonical JSON: keys sorted at every level, no insignificant white space. Equal data, equal bytes. */
export function canonicalJson(value: Json): string {
  return stringify(value) ?? 'null';
}

/** sha256 of bytes or a UTF-8 string, as lower-case hex: Tidemark's content address. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Whether a value looks like an IAM policy document (`Version` and `Statement`). */
function isPolicyDocument(value: JsonObject): boolean {
  return 'Statement' in value && ('Version' in value || Array.isArray(value.Statement));
}

function sortStrings(value: Json): Json {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...value].sort();
  return value;
}

function canonicalStatement(statement: Json): Json {
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) return statement;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(statement)) {
    if (POLICY_LIST_FIELDS.has(key)) result[key] = sortStrings(value);
    else if ((key === 'Principal' || key === 'NotPrincipal') && value && typeof value === 'object')
      result[key] = Array.isArray(value)
        ? value
        : Object.fromEntries(Object.entries(value).map(([kind, ids]) => [kind, sortStrings(ids)]));
    else result[key] = value;
  }
  return result;
}

/**
 * Puts IAM policy documents found anywhere in a document into one stable shape: single strings in
 * `Action`/`Resource`/principal lists become sorted arrays, statements are sorted. Semantics are unchanged,
 * so a policy re-saved in another order is not a change.
 */
export function canonicalisePolicies(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonicalisePolicies);
  if (value === null || typeof value !== 'object') return value;
  const walked: JsonObject = Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, canonicalisePolicies(child)]),
  );
  if (!isPolicyDocument(walked)) return walked;
  const statements = Array.isArray(walked.Statement) ? walked.Statement : [walked.Statement as Json];
  const sorted = statements
    .map(canonicalStatement)
    .map((statement) => [canonicalJson(statement), statement] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, statement]) => statement);
  return { ...walked, Statement: sorted };
}
