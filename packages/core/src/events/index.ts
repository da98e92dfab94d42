export { baseEventName, isReadOnlyName } from './event-name.js';
export {
  type CoalescedChange,
  coalesce,
  type MapOptions,
  mapEvent,
  mapEvents,
  normaliseEventTime,
} from './map.js';
export { escapeControlCharacters, parseEventInput } from './parse.js';
export {
  type ChangeEvent,
  type EventCause,
  type MappedEvent,
  SkipReason,
  type SkipReasonCode,
} from './types.js';
