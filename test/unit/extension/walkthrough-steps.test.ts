/** Walkthrough steps tick when their lesson has happened: a finding shown, a run finished, a watched epoch. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../../metrics/diagnosis/events.js';
import { isFitcheckFinding, trainingStepOf, WALKTHROUGH_KEYS, watchStepOf } from '../../../extension/walkthrough-steps.js';
import { repoRoot } from '../helpers.js';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { walkthroughs: { steps: { id: string; completionEvents?: string[] }[] }[] };
};
const end = (status: 'completed' | 'stopped' | 'failed') => ({ type: 'end', status }) as RunEvent;
const epoch = { type: 'epoch', epoch: 1 } as RunEvent;

describe('walkthrough progress', () => {
  it('ticks the lint, training and watching steps on what happened, not on a button press', () => {
    const events = new Map(manifest.contributes.walkthroughs[0]!.steps.map((s) => [s.id, s.completionEvents]));
    assert.deepEqual(events.get('lint'), [`onContext:${WALKTHROUGH_KEYS.linted}`]);
    assert.deepEqual(events.get('demo'), [`onContext:${WALKTHROUGH_KEYS.trained}`]);
    assert.deepEqual(events.get('own-run'), [`onContext:${WALKTHROUGH_KEYS.watched}`]);
  });

  it('counts a training run only when it ran to its end', () => {
    assert.equal(trainingStepOf(end('completed')), 'trained');
    assert.equal(trainingStepOf(end('failed')), undefined);
    assert.equal(trainingStepOf(end('stopped')), undefined);
    assert.equal(trainingStepOf(epoch), undefined);
  });

  it('counts a watched run once an epoch of it arrived', () => {
    assert.equal(watchStepOf(epoch), 'watched');
    assert.equal(watchStepOf(end('completed')), undefined);
  });

  it('counts findings of Fitcheck and of its monitored runs, not of other linters', () => {
    assert.equal(isFitcheckFinding('fitcheck'), true);
    assert.equal(isFitcheckFinding('fitcheck-run'), true);
    assert.equal(isFitcheckFinding('Pylance'), false);
    assert.equal(isFitcheckFinding(undefined), false);
  });
});
