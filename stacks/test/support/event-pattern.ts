/**
 * Whether an EventBridge event pattern matches an event, for the parts of the pattern language Tidemark's rules
 * use: exact values (strings, booleans), `prefix`, `anything-but`, nested objects; an array in the event matches
 * when any element does. A test aid: EventBridge itself is the authority.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const value = (event as Record<string, unknown>)[field];
    if (!Array.isArray(expected)) return matchesPattern(expected as Record<string, unknown>, value);
    const values = Array.isArray(value) ? value : [value];
    return values.some((candidate) => expected.some((matcher) => matchesValue(matcher, candidate)));
  });
}

function matchesValue(matcher: unknown, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof matcher !== 'object' || matcher === null) return matcher === value;
  const { prefix, 'anything-but': excluded } = matcher as { prefix?: string; 'anything-but'?: unknown };
  if (prefix !== undefined) return typeof value === 'string' && value.startsWith(prefix);
  if (excluded !== undefined)
    return (Array.isArray(excluded) ? excluded : [excluded]).every((x) => x !== value);
  throw new Error(`unsupported event pattern matcher ${JSON.stringify(matcher)}`);
}
