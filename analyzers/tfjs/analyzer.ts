/**
 * The TensorFlow.js analyzer of a process: one long-lived in-memory ts-morph Project, created when the
 * first tfjs file is linted. Files are parsed one at a time, analysed and forgotten; nothing resolves
 * imports or type-checks, so a file costs its parse and one walk, whatever project it belongs to.
 */
import type { Project } from 'ts-morph';
import type { TrainingFacts } from '../facts.js';
import { directiveComments, tfjsFacts } from './frontend.js';
import { loadTsMorph, type TsMorphModule } from './loader.js';
import { TS, useTypeScript } from './ts.js';

export type ScriptKind = 'ts' | 'tsx' | 'js' | 'jsx';

export interface ScriptAnalysis {
  facts: TrainingFacts;
  comments: { line: number; character: number; text: string }[];
}

export class TfjsAnalyzer {
  private readonly project: Project;

  private constructor(morph: TsMorphModule) {
    useTypeScript(morph.ts);
    this.project = new morph.Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      skipFileDependencyResolution: true,
      skipAddingFilesFromTsConfig: true,
      compilerOptions: { allowJs: true, noResolve: true, noLib: true, jsx: morph.ts.JsxEmit.Preserve, target: morph.ts.ScriptTarget.Latest },
    });
  }

  /** Loads ts-morph (the first time in the process) and creates the project. */
  static create(): TfjsAnalyzer {
    return new TfjsAnalyzer(loadTsMorph());
  }

  /** Parses `text` as a file of the given kind, extracts its facts and directive comments, and forgets the file. */
  analyze(text: string, kind: ScriptKind): ScriptAnalysis {
    const scriptKind = { ts: TS.ScriptKind.TS, tsx: TS.ScriptKind.TSX, js: TS.ScriptKind.JS, jsx: TS.ScriptKind.JSX }[kind];
    const file = this.project.createSourceFile(`/fitcheck/document.${kind}`, text, { overwrite: true, scriptKind });
    try {
      const sf = file.compilerNode;
      return { facts: tfjsFacts(sf, text), comments: text.includes('fitcheck') ? directiveComments(sf, text) : [] };
    } finally {
      this.project.removeSourceFile(file);
    }
  }

  /** How many files the project holds (0 between analyses). */
  fileCount(): number {
    return this.project.getSourceFiles().length;
  }
}
