/**
 * How deep a Python file's syntax tree may nest. The analyzers walk expressions recursively, and
 * thousands of nested brackets or a long `a + a + …` chain would overflow the stack, so a file
 * nested deeper than {@link MAX_NESTING} is reported instead of analysed. The compact copy of the
 * tree records each statement's depth as it is made (`mirrorDeeperThan`), so the check is free.
 */

/**
 * The deepest syntax tree analysed. Real code stays far below it (PyTorch's own modules nest 24 deep;
 * CPython refuses more than 200 nested brackets), and the analyzers' recursion stays well inside
 * Node's default stack at it (they overflowed near 1,400 in tests).
 */
export const MAX_NESTING = 500;

/** The reason given for a file nested deeper than {@link MAX_NESTING}. */
export const TOO_DEEP = `file is nested too deeply to analyse (more than ${MAX_NESTING} levels)`;

/**
 * The reason given when the analysis itself runs out of stack on a file within {@link MAX_NESTING}
 * (a smaller stack than Node's default, or nesting compounded through inlined calls).
 */
export const OUT_OF_STACK = 'file is too deeply nested for the analysis to follow (it ran out of stack)';
