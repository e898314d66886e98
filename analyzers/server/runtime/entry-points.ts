/**
 * Where a training script starts: `if __name__ == "__main__":`, else a top-level loop that calls
 * `.backward(` or `.fit(` in its body. Only files that import a training framework have one.
 */
const FRAMEWORK_IMPORT = /^\s*(?:import|from)\s+(?:torch|keras|tensorflow|lightning|pytorch_lightning|transformers)\b/m;
const MAIN_GUARD = /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/;
const TOP_LEVEL_LOOP = /^(?:for|while)\b/;
const TRAINING_CALL = /\.(?:backward|fit)\s*\(/;

/** The 0-based lines that get the lens: the main guard, or the first top-level training loop. */
export function entryPointLines(text: string): number[] {
  if (!FRAMEWORK_IMPORT.test(text)) return [];
  const lines = text.split(/\r?\n/);
  const guard = lines.findIndex((l) => MAIN_GUARD.test(l));
  if (guard >= 0) return [guard];
  for (let i = 0; i < lines.length; i++) {
    if (!TOP_LEVEL_LOOP.test(lines[i]!)) continue;
    // The loop's body: the indented lines that follow it.
    for (let j = i + 1; j < lines.length && (/^\s/.test(lines[j]!) || !lines[j]!.trim()); j++) {
      if (TRAINING_CALL.test(lines[j]!)) return [i];
    }
  }
  return [];
}
