import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { defaultRules } from './defaults.js';
import { type DestinationConfig, destinationConfigSchema } from './destinations/config.js';
import type { AlertRule } from './match.js';
import {
  DEFAULT_RULE_CAUSES,
  type RuleSettings,
  type RuleSpec,
  ruleSchema,
  ruleSettingsSchema,
} from './rules.js';

/** The destination every rule file has without declaring it: alerts printed where the command prints. */
export const STDOUT_DESTINATION = 'stdout';

/** The rules file: `tidemark.alerts.yaml`, or `config/alerts.yaml` in a deployed store. */
export const rulesFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Evaluate the shipped default rules (a rule of the same name adjusts one). @default true */
  defaults: z.boolean().default(true),
  settings: ruleSettingsSchema.prefault({}),
  destinations: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), destinationConfigSchema).default({}),
  rules: z.array(ruleSchema).default([]),
});

/** Rules ready to evaluate, with where they deliver. */
export interface RuleSet {
  /** Where the rules came from, for messages (a file, `s3://…/config/alerts.yaml`, `shipped defaults`). */
  readonly source: string;
  readonly rules: readonly AlertRule[];
  readonly destinations: Readonly<Record<string, DestinationConfig>>;
  readonly settings: RuleSettings;
}

/** What a caller adds to every rules file: destinations the deployment provides (the alerts topic). */
export interface RulesContext {
  readonly builtInDestinations?: Readonly<Record<string, DestinationConfig>>;
  /** Where rules deliver when the file sets no `settings.destinations` (the alerts topic too, when deployed). */
  readonly defaultDestinations?: readonly string[];
}

/** The shipped default rules alone, as when there is no rules file. */
export function shippedRules(context: RulesContext = {}): RuleSet {
  return parseRules('', 'shipped defaults', context);
}

/**
 * Reads a rules file: YAML, validated whole. Any problem is an InputError naming the file, the line and the field
 * (`tidemark.alerts.yaml:12: rules[2].severity: expected one of critical, high, medium, low, info`).
 *
 * @example
 * parseRules('rules:\n  - name: silent-drift\n    severity: critical\n', 'tidemark.alerts.yaml');
 */
export function parseRules(text: string, source: string, context: RulesContext = {}): RuleSet {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const [syntax] = document.errors;
  if (syntax) {
    const at = syntax.linePos?.[0]?.line;
    throw new InputError(`${source}${at ? `:${at}` : ''}: ${syntax.message.split('\n')[0]}`);
  }
  const problem = (path: readonly PropertyKey[], message: string) => {
    const line = lineOf(document, lines, path);
    const field = fieldName(path);
    return new InputError(`${source}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${message}`);
  };
  const raw = document.toJS() ?? {};
  const parsed = rulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw problem(issue?.path ?? [], lowerFirst(issue?.message ?? 'invalid rules file'));
  }
  const file = withDefaultDestinations(parsed.data, raw, context);
  const destinations = {
    [STDOUT_DESTINATION]: { type: 'stdout', format: 'text' } as const,
    ...context.builtInDestinations,
    ...file.destinations,
  };
  const rules = compileRules(file, (index, message) =>
    problem(['rules', index, ...message.path], message.text),
  );
  for (const rule of rules)
    for (const name of rule.destinations)
      if (!(name in destinations))
        throw problem(
          rule.fromFile === undefined
            ? ['settings', 'destinations']
            : ['rules', rule.fromFile, 'destinations'],
          `no destination named ${name}: declare it under destinations (known: ${Object.keys(destinations).join(', ')})`,
        );
  return {
    source,
    rules: rules.filter((rule) => rule.enabled).map(({ enabled: _, fromFile: __, ...rule }) => rule),
    destinations,
    settings: file.settings,
  };
}

/** The file with the context's default destinations, unless it names its own. */
function withDefaultDestinations(
  file: z.output<typeof rulesFileSchema>,
  raw: { settings?: { destinations?: unknown } },
  context: RulesContext,
): z.output<typeof rulesFileSchema> {
  if (raw.settings?.destinations !== undefined || !context.defaultDestinations) return file;
  return { ...file, settings: { ...file.settings, destinations: [...context.defaultDestinations] } };
}

type CompiledRule = AlertRule & { readonly enabled: boolean; readonly fromFile: number | undefined };
type Problem = (index: number, message: { path: PropertyKey[]; text: string }) => InputError;

/** The defaults (unless turned off) with the file's rules adjusting or replacing them, then its own. */
function compileRules(file: z.output<typeof rulesFileSchema>, problem: Problem): CompiledRule[] {
  const compiled = new Map<string, CompiledRule>();
  if (file.defaults)
    for (const rule of defaultRules(file.settings))
      compiled.set(rule.name, compileRule({ ...rule, enabled: true }, file.settings, undefined));
  for (const [index, rule] of file.rules.entries()) {
    const shipped = compiled.get(rule.name);
    if (compiled.has(rule.name) && shipped?.fromFile !== undefined)
      throw problem(index, { path: ['name'], text: `a rule named ${rule.name} is already defined` });
    if (!shipped && !rule.match)
      throw problem(index, {
        path: ['match'],
        text: `${rule.name} is not a shipped default: it needs match (what it fires on)`,
      });
    const base = shipped && !rule.match ? adjustedDefault(file, rule) : rule;
    compiled.set(rule.name, compileRule(base, file.settings, index));
  }
  return [...compiled.values()];
}

/** A shipped default with what a file's rule of the same name (without `match`) changes in it. */
function adjustedDefault(file: z.output<typeof rulesFileSchema>, rule: RuleSpec): RuleSpec {
  const shipped = defaultRules(file.settings).find((candidate) => candidate.name === rule.name) as RuleSpec;
  return { ...shipped, ...rule, match: shipped.match };
}

function compileRule(rule: RuleSpec, settings: RuleSettings, fromFile: number | undefined): CompiledRule {
  const match = rule.match ?? {};
  return {
    name: rule.name,
    title: rule.description ?? rule.name,
    severity: rule.severity ?? 'medium',
    destinations: rule.destinations ?? settings.destinations,
    dedupMs: rule.dedup,
    mute: rule.mute,
    resources: match.resources,
    kinds: match.kinds,
    causes: match.causes ?? DEFAULT_RULE_CAUSES,
    fields: match.fields,
    principals: match.principals,
    window: match.window && {
      when: match.window.when,
      window: match.window.window === 'settings' ? settings.changeWindow : match.window.window,
    },
    enabled: rule.enabled,
    fromFile,
  };
}

/** The 1-based line of the deepest node of `path` the document holds. */
function lineOf(
  document: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** A validator's message in the style of Tidemark's own: `invalid option: …`, not `Invalid option: …`. */
function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** A path as users read it: `rules[2].match.fields[0].becomes`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`))
    .join('');
}
