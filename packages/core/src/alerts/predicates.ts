import { UNKNOWN_MARKER } from '../constants.js';
import type { Json } from '../types/json.js';

/** A named property of a value in a document, for `becomes:` conditions. Pure. */
export type ValuePredicate = (value: Json | undefined) => boolean;

const ALL_USERS_GROUPS = [
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
];
const ADMINISTRATOR_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
const PUBLIC_ACCESS_BLOCK_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
];
/**
 * Settings that let viewers connect in clear text or over outdated TLS (CloudFront, API Gateway). Origin-side
 * settings are not among them: an S3 website origin only speaks HTTP.
 */
const INSECURE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  viewerprotocolpolicy: ['allow-all'],
  minimumprotocolversion: ['SSLv3', 'TLSv1', 'TLSv1_2016'],
  securitypolicy: ['TLS_1_0'],
};

/** Every object in a value, itself included, depth first. */
function* objectsIn(value: Json | undefined): Generator<Record<string, Json>> {
  if (Array.isArray(value)) for (const item of value) yield* objectsIn(item);
  else if (value !== null && typeof value === 'object') {
    yield value;
    for (const child of Object.values(value)) yield* objectsIn(child);
  }
}

/** Every string in a value, object keys included. */
function* stringsIn(value: Json | undefined): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) {
      yield key;
      yield* stringsIn(child);
    }
}

function includesWildcard(value: Json | undefined): boolean {
  return Array.isArray(value) ? value.includes('*') : value === '*';
}

/** A policy statement allowing anyone (`"Principal": "*"` or `{"AWS": "*"}`) without a condition. */
function allowsAnyone(statement: Record<string, Json>): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  if (includesWildcard(principal)) return true;
  return principal !== null && typeof principal === 'object' && !Array.isArray(principal)
    ? includesWildcard(principal.AWS)
    : false;
}

/** A statement allowing every action on every resource. */
function allowsEverything(statement: Record<string, Json>): boolean {
  const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  return (
    statement.Effect === 'Allow' &&
    actions.some((action) => action === '*' || action === '*:*') &&
    (statement.Resource === undefined || includesWildcard(statement.Resource))
  );
}

/**
 * The predicates `becomes:` names. Each looks anywhere inside the value, so it works on a whole document or on
 * the part a condition's path names.
 */
export const NAMED_PREDICATES = {
  /** A policy statement allowing anyone without a condition, or an ACL grant to all (authenticated) users. */
  public: (value) =>
    [...objectsIn(value)].some(
      (object) =>
        allowsAnyone(object) || (typeof object.URI === 'string' && ALL_USERS_GROUPS.includes(object.URI)),
    ),
  /** A statement allowing `*` (or `*:*`) on every resource, or the AWS managed AdministratorAccess policy. */
  admin: (value) =>
    [...objectsIn(value)].some(allowsEverything) ||
    [...stringsIn(value)].some((text) => ADMINISTRATOR_POLICY.test(text)),
  /** No S3 public access block, or one with any of its four settings off (one that could not be read is neither). */
  unblocked: (value) =>
    value === null ||
    (typeof value === 'object' &&
      !Array.isArray(value) &&
      !(UNKNOWN_MARKER in value) &&
      PUBLIC_ACCESS_BLOCK_FLAGS.some((flag) => value[flag] !== true)),
  /** Plain HTTP or an outdated TLS version allowed to viewers (viewer protocol, minimum TLS, security policy). */
  insecure: (value) =>
    [...objectsIn(value)].some((object) =>
      Object.entries(object).some(([key, setting]) =>
        typeof setting === 'string' ? INSECURE_SETTINGS[key.toLowerCase()]?.includes(setting) : false,
      ),
    ),
} as const satisfies Readonly<Record<string, ValuePredicate>>;

export type PredicateName = keyof typeof NAMED_PREDICATES;

/** Whether a string occurs in a value (as a value or an element, not a key). */
export function containsValue(value: Json | undefined, wanted: string): boolean {
  if (typeof value === 'string') return value === wanted;
  if (Array.isArray(value)) return value.some((item) => containsValue(item, wanted));
  if (value !== null && typeof value === 'object')
    return Object.values(value).some((child) => containsValue(child, wanted));
  return false;
}
