/** Code that runs under a test runner (pytest, unittest), where a training loop is a test, not training. */
import type { SyntaxNode } from './syntax-tree.js';

/** Test-runner names: pytest's `test_*` functions, unittest's `TestCase` classes and `Test*` classes. */
const TEST_FUNCTION = /^test/;
const TEST_CLASS = /^Test|Test(Case|Base)?$|TestBase/;

/** Whether a node sits in a test function or a method of a test class (pytest, unittest). */
export function insideUnitTest(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' && TEST_FUNCTION.test(p.childForFieldName('name')?.text ?? '')) return true;
    if (p.type === 'class_definition') {
      const name = p.childForFieldName('name')?.text ?? '';
      const bases = p.childForFieldName('superclasses')?.text ?? '';
      if (TEST_CLASS.test(name) || /TestCase\b|TestBase\b/.test(bases)) return true;
    }
  }
  return false;
}
