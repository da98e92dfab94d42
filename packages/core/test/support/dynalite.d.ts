/** dynalite 4 ships no types: the part the tests use. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** Milliseconds a table stays CREATING / DELETING / UPDATING. */
    readonly createTableMs?: number;
    readonly deleteTableMs?: number;
    readonly updateTableMs?: number;
  }

  /** An in-memory DynamoDB-protocol server, not yet listening. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
