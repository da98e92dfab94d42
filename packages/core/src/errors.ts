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

/** A resource type that is not in the registry. */
export class UnknownResourceTypeError extends InputError {
  readonly type: string;
  constructor(type: string, known: readonly string[]) {
    super(`unknown resource type ${type}, expected one of ${known.join(', ')}`);
    this.name = 'UnknownResourceTypeError';
    this.type = type;
  }
}
