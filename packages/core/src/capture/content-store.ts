import type { Readable } from 'node:stream';

/** The result of storing content. */
export interface StoredContent {
  /** sha256 of the bytes, lower-case hex: the content address. */
  readonly hash: string;
  readonly size: number;
  /** False when identical content was already stored (deduplicated). */
  readonly written: boolean;
}

/** Content-addressed blob storage, as seen by resource definitions. */
export interface ContentStore {
  /** Whether content with this sha256 (hex) is already stored. */
  has(hash: string): Promise<boolean>;
  /**
   * Streams content into the store, hashing as it goes; never holds the whole content in memory.
   * With `expectedHash`, content whose sha256 differs is rejected and nothing is kept.
   */
  putStream(
    source: Readable | AsyncIterable<Uint8Array>,
    options?: { expectedHash?: string },
  ): Promise<StoredContent>;
  /** Stores small content held in memory. */
  putBytes(bytes: Uint8Array): Promise<StoredContent>;
  /**
   * Stored content as a stream, checked against its hash as it flows: altered content ends the stream with an error
   * instead of its end. Used to rebuild a part of a previous capture (one chunk of a table's items).
   */
  read(hash: string): Promise<Readable>;
}
