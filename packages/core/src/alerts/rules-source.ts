import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../canonical/canonicalise.js';
import { InputError } from '../errors.js';
import { StoreLayout } from '../store/layout.js';
import type { VersionStore } from '../store/version-store.js';
import { parseRules, type RuleSet, type RulesContext, shippedRules } from './load-rules.js';

/** The rules file `tidemark` reads when `--rules` names none: in its configuration folder, beside the key file. */
export const RULES_FILE_NAME = 'tidemark.alerts.yaml';

/** Where {@link loadRules} looks for the rules. */
export interface RulesLocation extends RulesContext {
  /** A file the user named (`--rules`): it must exist. */
  readonly file?: string | undefined;
  /** The default file, read when it exists (`~/.config/tidemark/tidemark.alerts.yaml`). */
  readonly defaultFile?: string | undefined;
  /** The store, whose `config/alerts.yaml` is read when neither file is there. */
  readonly store?: VersionStore | undefined;
}

/**
 * The alert rules: the file named, else the default file when it exists, else the store's `config/alerts.yaml`
 * when it has one, else the shipped defaults. A rules file that cannot be read or is invalid is an InputError.
 */
export async function loadRules(location: RulesLocation): Promise<RuleSet> {
  if (location.file) {
    const text = await readFile(location.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read the rules file ${location.file}: ${error.code ?? error.message}`);
    });
    return parseRules(text, location.file, location);
  }
  if (location.defaultFile) {
    const text = await readFile(location.defaultFile, 'utf8').catch(() => undefined);
    if (text !== undefined) return parseRules(text, location.defaultFile, location);
  }
  const stored = await location.store?.backend.read(StoreLayout.ALERT_RULES);
  if (stored)
    return parseRules(stored.toString('utf8'), storeRulesName(location.store as VersionStore), location);
  return shippedRules(location);
}

function storeRulesName(store: VersionStore): string {
  return `${store.backend.location.replace(/\/$/, '')}/${StoreLayout.ALERT_RULES}`;
}

/**
 * The rules of a deployed pipeline, kept in the store (`config/alerts.yaml`) and read again when they change: each
 * call reads the key and parses it only when its bytes differ. Rules that turn invalid never stop captures: the
 * ones before stay in force and `onInvalid` hears why.
 */
export class StoredRules {
  readonly #store: VersionStore;
  readonly #context: RulesContext;
  readonly #onInvalid: (error: InputError) => void;
  #hash: string | undefined;
  #rules: RuleSet;

  constructor(store: VersionStore, context: RulesContext, onInvalid: (error: InputError) => void) {
    this.#store = store;
    this.#context = context;
    this.#onInvalid = onInvalid;
    this.#rules = shippedRules(context);
  }

  /** The rules in force now. */
  async current(): Promise<RuleSet> {
    const bytes = await this.#store.backend.read(StoreLayout.ALERT_RULES);
    const hash = bytes ? sha256Hex(bytes) : undefined;
    if (hash === this.#hash) return this.#rules;
    try {
      this.#rules = bytes
        ? parseRules(bytes.toString('utf8'), storeRulesName(this.#store), this.#context)
        : shippedRules(this.#context);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.#onInvalid(error);
    }
    this.#hash = hash;
    return this.#rules;
  }
}
