import { z } from 'zod';
import { canonicalJson } from '../canonical/canonicalise.js';
import type { Json } from '../types/json.js';
import type { RecordAuthenticator } from './authenticator.js';

/** A record that may carry a MAC of its other fields. */
type Signable = { readonly mac?: string | undefined };

/** The bytes a record's MAC is computed over: its canonical JSON without the `mac` field. */
function signedBytes(record: object): Buffer {
  const { mac: _, ...fields } = record as Signable;
  return Buffer.from(canonicalJson(fields as Json), 'utf8');
}

/** The record with its MAC under `key` added (replacing any it had). */
export function signRecord<T extends object>(record: T, key: RecordAuthenticator): T & { mac: string } {
  return { ...record, mac: key.sign(signedBytes(record)) };
}

/**
 * Whether the record parsed from `bytes` carries a MAC of its other fields under `key`, checked on the bytes
 * themselves (no serialisation again): the signed bytes are the stored ones without their first `,"mac":"…"`
 * member, which in a canonical record is its own top-level one. Bytes arranged otherwise cannot pass: the MAC
 * then covers bytes no writer signed, or the parsed record has no such `mac`.
 */
export function hasValidMacIn(bytes: Uint8Array, record: Signable, key: RecordAuthenticator): boolean {
  if (record.mac === undefined) return false;
  const stored = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const member = Buffer.from(`,"mac":"${record.mac}"`, 'utf8');
  const at = stored.indexOf(member);
  if (at < 0) return false;
  const signed = Buffer.concat([stored.subarray(0, at), stored.subarray(at + member.length)]);
  return key.verify(signed, record.mac);
}

/** What a journal entry says of the record it announces: its hash, signed with its key. */
const announcementSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), mac: z.string() });

/** What the MAC of a journal entry covers: the entry's own key (its time, its record's key) and the record's hash. */
function announced(entryKey: string, sha256: string): Buffer {
  return Buffer.from(`${entryKey}\n${sha256}`, 'utf8');
}

/** The bytes of the journal entry `entryKey`: empty without a key, else the hash of its record, signed. */
export function journalAnnouncement(
  entryKey: string,
  sha256: string,
  key: RecordAuthenticator | undefined,
): Uint8Array {
  if (!key) return new Uint8Array();
  return Buffer.from(canonicalJson({ mac: key.sign(announced(entryKey, sha256)), sha256 }), 'utf8');
}

/**
 * The record hash the journal entry `entryKey` announces when its signature holds under `key`, else undefined: an
 * entry moved to another time or record, or edited in any byte, does not pass.
 */
export function announcedHash(entryKey: string, bytes: Buffer, key: RecordAuthenticator): string | undefined {
  try {
    const text = bytes.toString('utf8');
    const { sha256, mac } = announcementSchema.parse(JSON.parse(text));
    const canonical = canonicalJson({ mac, sha256 }) === text;
    return canonical && key.verify(announced(entryKey, sha256), mac) ? sha256 : undefined;
  } catch {
    return undefined;
  }
}
