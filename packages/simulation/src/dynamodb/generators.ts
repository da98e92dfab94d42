import { SeededRandom } from '../random.js';
import { SITE_DOMAINS } from '../seed-names.js';
import { type Item, itemSize, type SizedItem } from './attribute-values.js';
import type { ItemSource } from './items.js';

const FIRST_NAMES = [
  'Ana',
  'Ben',
  'Chloe',
  'Diego',
  'Emma',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Jade',
  'Kai',
  'Lena',
];
const LAST_NAMES = [
  'Alvarez',
  'Brooks',
  'Chen',
  'Duarte',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jensen',
];
const STATUSES = ['confirmed', 'confirmed', 'confirmed', 'completed', 'pending', 'cancelled'] as const;
const TAGS = [
  'sunset',
  'private',
  'birthday',
  'corporate',
  'whale-watching',
  'catering',
  'photographer',
] as const;
const EVENT_TYPES = [
  'BookingCreated',
  'PaymentCaptured',
  'ReminderSent',
  'CheckedIn',
  'ReviewReceived',
] as const;
const NOTE =
  'Guests asked for a sunset departure from Shelter Island with soft drinks on board and a short stop at the ' +
  'kelp beds; skipper to confirm the weather window the evening before and text the lead guest. ';
/** Long enough for the notes of the largest item the simulation generates (DynamoDB's item limit is 400 KB). */
const NOTES = NOTE.repeat(Math.ceil(400_000 / NOTE.length));

const DAY_SECONDS = 86_400;
/** The shortest note an item carries. */
const MIN_NOTES = 16;
/** The sizes the users' and the events' items are padded to. */
const USER_SIZE = 200;
const EVENT_SIZE = 160;
/** 2025-01-01, the first charter date of the generated bookings. */
const FIRST_CHARTER = Date.UTC(2025, 0, 1) / 1000;

/** The random stream of one generated item: the same for the same table seed and index. */
function itemRandom(seed: number, index: number): SeededRandom {
  return new SeededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

function pick<T>(random: SeededRandom, values: readonly T[]): T {
  return values[random.next() % values.length] as T;
}

function padded(prefix: string, index: number, width: number): string {
  return `${prefix}${String(index + 1).padStart(width, '0')}`;
}

function indexOf(value: string | undefined, pattern: RegExp, count: number): number | undefined {
  const match = value === undefined ? null : pattern.exec(value);
  const index = match ? Number(match[1]) - 1 : -1;
  return index >= 0 && index < count ? index : undefined;
}

/** Pads an item with a `notes` string so that its size reaches `target` bytes (when it is not already larger). */
function withNotes(item: Item, target: number, offset: number): SizedItem {
  const base = itemSize(item) + 'notes'.length;
  const length = Math.max(target - base, MIN_NOTES);
  const start = offset % NOTE.length;
  item.notes = { S: NOTES.slice(start, start + length) };
  return { item, size: base + length };
}

/** Options of {@link bookingItems}. */
export interface BookingItemsOptions {
  readonly seed: number;
  readonly count: number;
  /** The size of each item, or of item `index`. */
  readonly size: number | ((random: SeededRandom) => number);
}

/**
 * Charter bookings keyed by `bookingId` (`BK-0000001`…): charter date, customer (a map), guests, status, price in
 * cents, paid flag, site, an `expiresAt` TTL two years after the charter, tags on some, a receipt (binary) on paid
 * ones, and `notes` padding each item to its size.
 */
export function bookingItems(options: BookingItemsOptions): ItemSource {
  const { seed, count, size } = options;
  const sizeOf = (random: SeededRandom) => (typeof size === 'number' ? size : size(random));
  let bytes = 0;
  for (let i = 0; typeof size !== 'number' && i < count; i++) bytes += sizeOf(itemRandom(seed, i));
  const key = (index: number): Item => ({ bookingId: { S: padded('BK-', index, 7) } });
  return {
    count,
    bytes: typeof size === 'number' ? count * size : bytes,
    key,
    index: (item) => indexOf(item.bookingId?.S, /^BK-(\d{7})$/, count),
    item(index) {
      const random = itemRandom(seed, index);
      const target = sizeOf(random);
      const first = pick(random, FIRST_NAMES);
      const last = pick(random, LAST_NAMES);
      const charter = FIRST_CHARTER + random.int(0, 3 * 365) * DAY_SECONDS;
      const status = pick(random, STATUSES);
      const paid = status === 'confirmed' || status === 'completed';
      const tags: string[] = [];
      for (let n = random.int(0, 3); n > 0; n--) {
        const tag = pick(random, TAGS);
        if (!tags.includes(tag)) tags.push(tag);
      }
      // Built field by field: generation is most of the cost of scanning a large table.
      const item: Item = key(index);
      item.charterDate = { S: new Date(charter * 1000).toISOString().slice(0, 10) };
      item.customer = {
        M: {
          name: { S: `${first} ${last}` },
          email: { S: `${first}.${last}${index % 97}@example.com`.toLowerCase() },
        },
      };
      item.guests = { N: String(random.int(2, 12)) };
      item.status = { S: status };
      item.priceCents = { N: String(random.int(450, 4800) * 100) };
      item.paid = { BOOL: paid };
      item.site = { S: pick(random, SITE_DOMAINS) };
      item.expiresAt = { N: String(charter + 730 * DAY_SECONDS) };
      if (tags.length > 0) item.tags = { SS: tags };
      if (paid) item.receipt = { B: random.bytes(24) };
      return withNotes(item, target, index * 7);
    },
  };
}

/** The customers' accounts, keyed by `userId` (`u-000001`…), with the `email` their GSI is keyed by. */
export function userItems(seed: number, count: number): ItemSource {
  const key = (index: number): Item => ({ userId: { S: padded('u-', index, 6) } });
  return {
    count,
    bytes: count * USER_SIZE,
    key,
    index: (item) => indexOf(item.userId?.S, /^u-(\d{6})$/, count),
    item(index) {
      const random = itemRandom(seed, index);
      const first = pick(random, FIRST_NAMES);
      const last = pick(random, LAST_NAMES);
      return withNotes(
        {
          ...key(index),
          email: { S: `${first}.${last}.${index + 1}@example.com`.toLowerCase() },
          name: { S: `${first} ${last}` },
          marketingOptIn: { BOOL: random.next() % 3 === 0 },
          createdAt: { S: new Date(Date.UTC(2024, 0, 1) + index * 3_600_000).toISOString() },
          favouriteSite: { S: pick(random, SITE_DOMAINS) },
        },
        USER_SIZE,
        index,
      );
    },
  };
}

/** Five events per booking: partition key `pk` (`BOOKING#BK-…`), sort key `sk` (`EVENT#01`…), `eventType`. */
export function bookingEventItems(seed: number, count: number): ItemSource {
  const perBooking = EVENT_TYPES.length;
  const key = (index: number): Item => ({
    pk: { S: `BOOKING#${padded('BK-', Math.floor(index / perBooking), 7)}` },
    sk: { S: `EVENT#${String((index % perBooking) + 1).padStart(2, '0')}` },
  });
  return {
    count,
    bytes: count * EVENT_SIZE,
    key,
    index(item) {
      const booking = indexOf(item.pk?.S, /^BOOKING#BK-(\d{7})$/, Math.ceil(count / perBooking));
      const event = indexOf(item.sk?.S, /^EVENT#(\d{2})$/, perBooking);
      if (booking === undefined || event === undefined) return undefined;
      const index = booking * perBooking + event;
      return index < count ? index : undefined;
    },
    item(index) {
      const random = itemRandom(seed, index);
      const at = Date.UTC(2026, 0, 1) + index * 600_000 + random.int(0, 599) * 1000;
      return withNotes(
        {
          ...key(index),
          eventType: { S: EVENT_TYPES[index % perBooking] as string },
          at: { S: new Date(at).toISOString() },
          actor: { S: random.next() % 2 === 0 ? 'booking-handler' : 'email-sender' },
        },
        EVENT_SIZE,
        index,
      );
    },
  };
}
