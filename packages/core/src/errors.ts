/** Base class of every error Tidemark raises on purpose. */
export class TidemarkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TidemarkError';
  }
}

/** The secret key cannot be read, created, or does not match what sealed a value. */
export class SecretKeyError extends TidemarkError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretKeyError';
  }
}

/** The store is unreadable, inconsistent, or refuses a write. */
export class StoreError extends TidemarkError {
  /** The store key concerned, when there is one. */
  readonly key?: string;
  constructor(message: string, options?: ErrorOptions & { key?: string }) {
    super(message, options);
    this.name = 'StoreError';
    if (options?.key !== undefined) this.key = options.key;
  }
}

/** A record key whose bytes are not a valid record (corrupted, truncated, or not Tidemark's). */
export class InvalidRecordError extends StoreError {
  constructor(key: string, location: string, cause: unknown) {
    super(`${key} in ${location} is not a valid record`, { cause, key });
    this.name = 'InvalidRecordError';
  }
}

/**
 * The SQLite index cannot be read as a database where a statement needed it (a file cut short, a damaged page):
 * the index is a cache of the store, so it is discarded and rebuilt.
 */
export class IndexCorruptError extends StoreError {
  /** The index file. */
  readonly file: string;
  constructor(file: string, cause: unknown) {
    super(`the index ${file} is damaged: ${describeProblem(cause)}`, { cause });
    this.name = 'IndexCorruptError';
    this.file = file;
  }
}

/** Content did not hash to what its source promised (a Lambda zip whose sha256 is not its CodeSha256). */
export class ContentMismatchError extends StoreError {
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super(`content hashes to ${actual}, expected ${expected}`);
    this.name = 'ContentMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** A user-supplied argument is invalid: a time, a resource reference, a label. */
export class InputError extends TidemarkError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** The key given is not the key that seals the store: using it would re-seal every secret and sign nothing. */
export class WrongKeyError extends InputError {
  readonly expected: string;
  readonly given: string;
  constructor(location: string, expected: string, given: string) {
    super(
      `the store at ${location} is sealed by key ${expected}, not by the key given (${given}): pass --key-file with its key`,
    );
    this.name = 'WrongKeyError';
    this.expected = expected;
    this.given = given;
  }
}

/** Content read from the store does not hash to its address: the store was damaged or tampered with. */
export class DamagedContentError extends StoreError {
  readonly hash: string;
  constructor(key: string, location: string, detail: string) {
    super(`${key} in ${location} is damaged: ${detail}`, { key });
    this.name = 'DamagedContentError';
    this.hash = key.slice(key.lastIndexOf('/') + 1);
  }
}

/** A resource type that is not in the registry. */
export class UnknownResourceTypeError extends InputError {
  readonly type: string;
  constructor(type: string, known: readonly string[]) {
    super(`unknown resource type ${type}, expected one of ${known.join(', ')}`);
    this.name = 'UnknownResourceTypeError';
    this.type = type;
  }
}

/**
 * The problems a schema found in a value, one readable line each (`seq: Invalid input: expected number, received
 * string`); undefined when `error` is not a schema (zod) error. Recognised by name, so that this module loads no
 * schema library.
 *
 * @example
 * schemaIssues(recordSchema.safeParse(value).error); // ['seq: Invalid input: expected number, received string']
 */
export function schemaIssues(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'ZodError') return undefined;
  const { issues } = error as Error & { issues?: unknown };
  if (!Array.isArray(issues)) return undefined;
  return issues.map((issue: { path?: readonly PropertyKey[]; message?: string }) => {
    const path = issuePath(issue.path ?? []);
    return path ? `${path}: ${issue.message}` : String(issue.message);
  });
}

/** `['a', 0, 'b']` → `a[0].b`; empty for the value itself. */
function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * What went wrong, on one line: a schema error's issues joined by `; `, else an error's message, else the value
 * itself (a cause may be a plain string).
 */
export function describeProblem(problem: unknown): string {
  const issues = schemaIssues(problem);
  if (issues) return issues.join('; ');
  return problem instanceof Error ? problem.message : String(problem);
}
