/** The Python front-end: a tree-sitter tree in, the shared training facts out. */
import { emptyFacts, type Framework, type Paradigm, type TrainingFacts } from '../facts.js';
import { ModuleIndex } from './module-index.js';
import { extractModels } from './models.js';
import { extractObjectives } from './objectives.js';
import { extractPipeline } from './call-site-facts.js';
import type { SyntaxNode } from './syntax-tree.js';
import { traceProgram } from './trace.js';

/** Quick text test: files that never mention a deep-learning framework are not analysed further. */
const FRAMEWORK_HINT = /\b(torch|torchvision|keras|tensorflow|lightning|tf_keras)\b/;

/** Whether the text names a deep-learning framework at all (files that do not are not analysed further). */
export function mentionsFramework(text: string): boolean {
  return FRAMEWORK_HINT.test(text);
}

/** Extracts models, objectives, loops and evaluation facts from a parsed Python file (its module node). */
export function pythonFacts(root: SyntaxNode, text: string): TrainingFacts {
  return moduleFacts(root, text).facts;
}

/**
 * {@link pythonFacts}, with whether the module imports a reinforcement-learning library: a file analysed
 * in parts reads its paradigm from its whole text ({@link paradigmOf}). `inGroup`: the text is one group's
 * program (see group-facts.ts).
 */
export function moduleFacts(root: SyntaxNode, text: string, inGroup = false): { facts: TrainingFacts; rlImport: boolean } {
  if (!FRAMEWORK_HINT.test(text)) return { facts: emptyFacts(), rlImport: false };
  const index = new ModuleIndex(root, text, inGroup);
  const rlImport = ['gym', 'gymnasium', 'stable_baselines3'].some((m) => index.imports.uses(m));
  const frameworks: Framework[] = [];
  if (index.imports.uses('torch') || index.imports.uses('torchvision') || index.imports.uses('lightning') || index.imports.uses('pytorch_lightning')) frameworks.push('pytorch');
  if (index.imports.uses('keras') || index.imports.uses('tensorflow')) frameworks.push('keras');
  if (frameworks.length === 0) return { facts: emptyFacts(), rlImport };

  const paradigm = paradigmOf(rlImport, text);
  const models = extractModels(index);
  const objectives = extractObjectives(index);
  const trace = traceProgram(index, models, objectives);
  const facts: TrainingFacts = {
    ...extractPipeline(index),
    fits: trace.fits,
    compiles: trace.compiles,
    evaluateCalls: trace.evaluateCalls,
    externalEvaluations: trace.externalEvaluations,
    evaluationSeen: trace.evaluationSeen,
    frameworks,
    paradigm,
    models: models.models,
    losses: objectives.losses,
    optimizers: objectives.optimizers,
    dataLoaders: objectives.dataLoaders,
    trainingLoops: trace.trainingLoops,
    evalForwards: trace.evalForwards,
    evalLoops: trace.evalLoops,
    tensorAccumulations: trace.tensorAccumulations,
  };
  return { facts, rlImport };
}

/** An environment stepped by an agent (gym, gymnasium, Stable-Baselines3, `env.step(action)`). */
const ENVIRONMENT = /\benv\w*\.step\s*\(/;
/** A GAN's two players, by the names every GAN example uses. */
const DISCRIMINATOR = /\b(discriminator|netD|model_d|D_net)\b/i;
const GENERATOR = /\b(generator|netG|model_g|G_net)\b/i;

/** Reinforcement learning, adversarial training, or (by default) supervised learning. */
export function paradigmOf(rlImport: boolean, text: string): Paradigm {
  if (rlImport || ENVIRONMENT.test(text)) return 'reinforcement';
  if (DISCRIMINATOR.test(text) && GENERATOR.test(text)) return 'adversarial';
  return 'supervised';
}
