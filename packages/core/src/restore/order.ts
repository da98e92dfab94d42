import { resourceKey } from '../store/layout.js';
import type { Json, JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';

/** A resource to order, with the document its references are read from. */
export interface Referencing {
  readonly resource: ResourceRef;
  /** The captured document (else the live one): what it refers to once restored. */
  readonly document?: JsonObject;
}

/**
 * The names other documents use for a resource: its identifier, and the ARNs in its own document that end with it
 * (a role's `arn:aws:iam::…:role/name`, a function's `FunctionArn`).
 */
export function referenceNames({ resource, document }: Referencing): Set<string> {
  const names = new Set([resource.id]);
  for (const text of strings(document))
    if (text.startsWith('arn:') && (text.endsWith(`/${resource.id}`) || text.endsWith(`:${resource.id}`)))
      names.add(text);
  return names;
}

/**
 * Orders resources so that each comes after those it refers to: a value of its document equal to another's
 * identifier or containing one of its ARNs (a distribution's certificate, a function's role, a rule's bus), or an
 * identifier under another's (`bucket/key` after `bucket`). Derived from the documents, not a list of types; ties
 * keep the given order, and a cycle is broken where it closes. Each item gets `after`: the keys it waits for.
 */
export function dependencyOrder<T extends Referencing>(items: readonly T[]): Array<T & { after: string[] }> {
  const keys = items.map((item) => resourceKey(item.resource));
  const byName = new Map<string, number[]>();
  const arns: Array<readonly [string, number]> = [];
  items.forEach((item, index) => {
    for (const name of referenceNames(item)) {
      const named = byName.get(name);
      if (named) named.push(index);
      else byName.set(name, [index]);
      if (name.startsWith('arn:')) arns.push([name, index]);
    }
  });
  const dependencies = items.map((item, index) => {
    const waits = new Set<number>();
    const id = item.resource.id;
    for (let slash = id.indexOf('/'); slash > 0; slash = id.indexOf('/', slash + 1))
      for (const parent of byName.get(id.slice(0, slash)) ?? []) waits.add(parent);
    for (const value of strings(item.document)) {
      for (const other of byName.get(value) ?? []) waits.add(other);
      if (value.startsWith('arn:'))
        for (const [arn, other] of arns) if (value.includes(arn)) waits.add(other);
    }
    waits.delete(index);
    return [...waits];
  });
  // Depth first, in the given order: each resource is placed right after what it refers to. One met again while it
  // is being visited closes a cycle, which is broken there.
  const visited = new Set<number>();
  const ordered: Array<T & { after: string[] }> = [];
  const visit = (index: number) => {
    if (visited.has(index)) return;
    visited.add(index);
    const waits = dependencies[index] as number[];
    for (const other of waits) visit(other);
    ordered.push({ ...(items[index] as T), after: waits.map((other) => keys[other] as string) });
  };
  for (let index = 0; index < items.length; index++) visit(index);
  return ordered;
}

/** Every string value in a JSON value, depth first. */
function* strings(value: Json | undefined): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object')
    for (const child of Object.values(value)) yield* strings(child);
}
