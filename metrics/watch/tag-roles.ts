/**
 * Which logged tag is the training loss, the validation accuracy, the learning rate…, by the
 * conventions of the common writers: `loss`/`val_loss` (Keras), `epoch_loss` under `train/` and
 * `validation/` (the Keras TensorBoard callback), `Loss/train` and `Loss/test` (the PyTorch
 * tutorials), `train/loss` and `val/accuracy` (the Python helper), `lr-Adam` (Lightning), and
 * `grad_norm/<layer>` for per-layer gradient norms. A custom mapping overrides the conventions.
 */

export const ROLES = ['trainLoss', 'valLoss', 'trainAccuracy', 'valAccuracy', 'trainError', 'valError', 'learningRate'] as const;
export type Role = (typeof ROLES)[number];

/** A custom mapping: a tag (or a `*` pattern) to a role, or `ignore`. */
export type TagMapping = Readonly<Record<string, Role | 'ignore'>>;

export interface TagRole {
  role: Role;
  /** Higher wins when several tags fit a role: epoch-level 3, plain 2, per-batch 1; a custom mapping 10. */
  priority: number;
  /** Word count of the tag: with equal priority the plainest name wins (`loss` over `loss_critic`). */
  words: number;
}

const VAL_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation', 'dev']);
/** Held-out words that lose to the ones above: a test set is scored once at the end, not per epoch. */
const TEST_WORDS = new Set(['test', 'holdout']);
const TRAIN_WORDS = new Set(['train', 'training']);
const EPOCH_WORDS = new Set(['epoch', 'epochs']);
const BATCH_WORDS = new Set(['batch', 'step', 'steps', 'iter', 'iters', 'iteration', 'iterations']);
const ACCURACY_WORDS = new Set(['acc', 'accuracy', 'top1']);
const ERROR_WORDS = new Set(['error', 'err']);
/** Qualifiers that make a loss or accuracy something else than the model's (a reward, a std…). */
const OTHER_WORDS = new Set(['std', 'var', 'min', 'max', 'top5', 'reward', 'rew', 'grad', 'grads', 'gradient', 'norm']);

/** Words of a tag: `Loss/train`, `val_loss`, `epoch-loss` → lower-case words. */
export function tagWords(tag: string): string[] {
  return tag.toLowerCase().split(/[/_\-.\s:]+/).filter(Boolean);
}

/** The per-layer series a tag holds: `grad_norm/<layer>` or `weight_norm/<layer>`. */
export function layerTag(tag: string): { kind: 'grad' | 'weight'; layer: string } | undefined {
  const match = /(?:^|\/)(grad(?:ient)?s?_?norms?|weights?_?norms?)\/(.+)$/i.exec(tag);
  if (!match) return undefined;
  return { kind: match[1]!.toLowerCase().startsWith('grad') ? 'grad' : 'weight', layer: match[2]! };
}

/**
 * Whether `text` matches `pattern`, where `*` matches any run of characters (none included). The
 * classic two-pointer match: on a mismatch it goes back only to just after the last `*`, so it runs
 * in O(pattern × text) at worst and linear in practice, where a regular expression such as
 * `^a.*a.*a.*b$` backtracks exponentially on a long tag.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      mark = t;
      p += 1;
    } else if (star >= 0) {
      p = star + 1;
      mark += 1;
      t = mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** The role of a tag by convention or by the custom mapping; undefined for tags that are none. */
export function classifyTag(tag: string, mapping: TagMapping = {}): TagRole | undefined {
  const words = tagWords(tag);
  for (const [pattern, role] of Object.entries(mapping)) {
    if (pattern === tag || (pattern.includes('*') && globMatch(pattern, tag))) {
      return role === 'ignore' ? undefined : { role, priority: 10, words: words.length };
    }
  }
  if (layerTag(tag)) return undefined;
  if (words.some((w) => OTHER_WORDS.has(w))) return undefined;
  const test = !words.some((w) => VAL_WORDS.has(w)) && words.some((w) => TEST_WORDS.has(w));
  const val = test || words.some((w) => VAL_WORDS.has(w));
  const level = words.some((w) => EPOCH_WORDS.has(w)) ? 3 : words.some((w) => BATCH_WORDS.has(w)) ? 1 : 2;
  // A test tag fills a validation role only when no validation tag does.
  const priority = test ? level - 5 : level;
  const joined = words.join(' ');
  if (words.includes('lr') || joined.includes('learning rate') || words.includes('learningrate')) {
    return { role: 'learningRate', priority, words: words.length };
  }
  let quantity: 'Loss' | 'Accuracy' | 'Error' | undefined;
  if (words.includes('loss') || words.includes('cost')) quantity = 'Loss';
  else if (words.some((w) => ACCURACY_WORDS.has(w))) quantity = 'Accuracy';
  else if (words.some((w) => ERROR_WORDS.has(w))) quantity = 'Error';
  if (!quantity) return undefined;
  // Untagged metrics are the training split's (Keras logs `loss` and `val_loss`).
  const split = val ? 'val' : 'train';
  // A tag that names both splits (`train_vs_val_loss`) is neither.
  if (val && words.some((w) => TRAIN_WORDS.has(w))) return undefined;
  // Of several losses (RL's policy_loss, vf_loss, total_loss) the total is the objective.
  const total = words.includes('total') ? 0.5 : 0;
  return { role: `${split}${quantity}` as Role, priority: priority + total, words: words.length };
}

/** Whether a tag names no split at all (`accuracy`, `error_rate`). */
function splitless(tag: string): boolean {
  return !tagWords(tag).some((w) => VAL_WORDS.has(w) || TEST_WORDS.has(w) || TRAIN_WORDS.has(w));
}

/**
 * For each role, the tag that fills it (highest priority, then plainest, then alphabetical). Where
 * the training metrics are named as such (`train_loss`, fastai's history), a bare accuracy or error
 * is the validation one: fastai logs `train_loss, valid_loss, accuracy, error_rate`.
 */
export function assignRoles(tags: Iterable<string>, mapping: TagMapping = {}): Partial<Record<Role, string>> {
  const list = [...tags];
  const namedTrain = list.some((t) => tagWords(t).some((w) => TRAIN_WORDS.has(w)) && classifyTag(t, mapping)?.role === 'trainLoss');
  const best = new Map<Role, { tag: string; fit: TagRole }>();
  for (const tag of list) {
    let fit = classifyTag(tag, mapping);
    if (!fit) continue;
    if (namedTrain && fit.priority < 10 && (fit.role === 'trainAccuracy' || fit.role === 'trainError') && splitless(tag)) {
      fit = { ...fit, role: fit.role === 'trainAccuracy' ? 'valAccuracy' : 'valError' };
    }
    const current = best.get(fit.role);
    if (!current || fit.priority > current.fit.priority
      || (fit.priority === current.fit.priority && (fit.words < current.fit.words || (fit.words === current.fit.words && tag < current.tag)))) {
      best.set(fit.role, { tag, fit });
    }
  }
  const roles: Partial<Record<Role, string>> = {};
  for (const [role, { tag }] of best) roles[role] = tag;
  return roles;
}

/** Whether a custom mapping setting is well-formed; the problems, one per bad entry. */
export function checkMapping(value: unknown): { mapping: TagMapping; problems: string[] } {
  const problems: string[] = [];
  const mapping: Record<string, Role | 'ignore'> = {};
  if (value === undefined || value === null) return { mapping, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { mapping, problems: ['the tag mapping must be an object of tag → role'] };
  for (const [tag, role] of Object.entries(value as Record<string, unknown>)) {
    if (typeof role === 'string' && (role === 'ignore' || (ROLES as readonly string[]).includes(role))) mapping[tag] = role as Role | 'ignore';
    else problems.push(`"${tag}": "${String(role)}" is not a role (${[...ROLES, 'ignore'].join(', ')})`);
  }
  return { mapping, problems };
}
