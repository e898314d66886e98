/**
 * The Python interpreter a monitored run uses: the Python extension's selected environment (its
 * public `environments` API) when that extension is installed, else `fitcheck.python.path`, else `python3`.
 */
import * as vscode from 'vscode';

/** The parts of ms-python.python's exported API read here. */
interface PythonEnvironmentsApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(env: { path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The interpreter for `resource`, with where it came from (for the terminal's first line). */
export async function pythonInterpreter(resource: vscode.Uri): Promise<{ path: string; from: string }> {
  const extension = vscode.extensions.getExtension<PythonEnvironmentsApi>('ms-python.python');
  if (extension) {
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const active = api.environments?.getActiveEnvironmentPath(resource);
      if (active && api.environments) {
        const resolved = await api.environments.resolveEnvironment(active);
        const executable = resolved?.executable.uri?.fsPath;
        if (executable) return { path: executable, from: 'the Python extension\'s selected interpreter' };
      }
    } catch {
      // an older or broken Python extension: fall back to the setting
    }
  }
  const configured = vscode.workspace.getConfiguration('fitcheck', resource).get<string>('python.path');
  if (configured && configured.trim()) return { path: configured.trim(), from: 'fitcheck.python.path' };
  return { path: 'python3', from: 'the default (python3 on PATH)' };
}
