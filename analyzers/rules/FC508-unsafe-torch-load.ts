import type { Rule, RuleHit } from './rule.js';

/** torch.load unpickles arbitrary objects unless told otherwise. */
export const unsafeTorchLoad: Rule = {
  code: 'FC508',
  name: 'unsafe-torch-load',
  severity: 'warning',
  summary: 'torch.load without weights_only=True.',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  ownFileOnly: true,
  lesson: 'Checkpoints are pickle files, and unpickling can run arbitrary code: a downloaded or shared checkpoint can execute anything on your machine. weights_only=True restricts loading to tensors and plain containers, which is all a state_dict needs. Pass weights_only=True when loading weights or a state_dict.',
  check(facts) {
    return facts.unsafeLoads.map(({ span, fix, explicit }): RuleHit => ({
      span,
      // weights_only=False is a deliberate choice (loading a whole pickled model): a note, not a warning.
      ...(explicit ? { severity: 'info' as const } : {}),
      fixes: fix ? [{ title: 'Add weights_only=True', edits: [fix] }] : [],
      message: 'torch.load without weights_only=True unpickles arbitrary objects, so a malicious checkpoint can run code.',
    }));
  },
};
