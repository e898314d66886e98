/** `fitcheck explain <code-or-name>`: print a rule's documentation page. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRule, RULES } from '../analyzers/rules/index.js';
import type { Rule } from '../analyzers/rules/rule.js';
import type { Output } from './lint-command.js';
import { editDistance } from '../analyzers/core/edit-distance.js';

/** Prints the page for a code (`FC301`, `fc301`) or name (`missing-zero-grad`); returns the exit code (2 when unknown or unreadable). */
export function explain(codeOrName: string, docsDir: string, out: Output): number {
  const rule = findRule(codeOrName);
  if (!rule) {
    const near = closestRule(codeOrName);
    const hint = near ? `; did you mean ${near.code} (${near.name})?` : '.';
    out.stderr(`fitcheck: no rule is called "${codeOrName.trim()}"${hint} Run \`fitcheck rules\` for the list.\n`);
    return 2;
  }
  const page = path.join(docsDir, `${rule.code}.md`);
  let text: string;
  try {
    text = fs.readFileSync(page, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    out.stderr(`fitcheck: cannot read the page for ${rule.code} at ${page}: ${reason}\n`);
    return 2;
  }
  out.stdout(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

/** The rule pages next to the running code: `<dir>/../docs/rules` (bundle in dist/) or `<dir>/../../docs/rules` (tsc output in out/cli/). */
export function defaultDocsDir(moduleUrl: string): string {
  const dir = path.dirname(fileURLToPath(moduleUrl));
  const candidates = [path.join(dir, '..', 'docs', 'rules'), path.join(dir, '..', '..', 'docs', 'rules')];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

/** The rule whose code or name is nearest to what was typed, if any is near enough to be a typo. */
function closestRule(typed: string): Rule | undefined {
  const key = typed.trim().toLowerCase();
  if (!key) return undefined;
  let best: { rule: Rule; distance: number } | undefined;
  for (const rule of RULES) {
    // Codes are short, so only one slip counts as a typo there (E501 is not a misspelt FC501).
    for (const [candidate, tolerance] of [[rule.code.toLowerCase(), 1], [rule.name, Math.max(2, Math.floor(rule.name.length / 4))]] as const) {
      const distance = candidate.includes(key) && key.length >= 3 ? 1 : editDistance(key, candidate);
      if (distance <= tolerance && (!best || distance < best.distance)) best = { rule, distance };
    }
  }
  return best?.rule;
}

