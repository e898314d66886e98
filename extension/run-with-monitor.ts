/**
 * *Fitcheck: Run with Monitor*: runs the script unchanged in a terminal with the monitor on its
 * PYTHONPATH, watches its session folder (the live panel opens when the run appears), and
 * *Stop Monitored Run* ends the terminal's whole process group. Refused in untrusted workspaces.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { findBootstrapDir, monitorEnv, newSessionDir } from '../analyzers/server/runtime/monitor-env.js';
import { pythonInterpreter } from './python-interpreter.js';

const RUNNING_CONTEXT = 'fitcheck.monitoring';
/** How long Stop waits after SIGINT (KeyboardInterrupt, the script's own cleanup) before SIGKILL. */
const KILL_AFTER_MS = 5000;

interface MonitoredTerminal {
  terminal: vscode.Terminal;
  script: string;
}

/** Registers *Run with Monitor* and *Stop Monitored Run*. */
export function registerRunWithMonitor(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  const running = new Set<MonitoredTerminal>();
  const updateContext = () => void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, running.size > 0);
  const bootstrap = findBootstrapDir(vscode.Uri.joinPath(context.extensionUri, 'dist', 'extension.cjs').toString());

  context.subscriptions.push(
    vscode.window.onDidCloseTerminal((closed) => {
      for (const r of running) if (r.terminal === closed) running.delete(r);
      updateContext();
    }),
    vscode.commands.registerCommand('fitcheck.runWithMonitor', async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage('Fitcheck: Run with Monitor runs the script, and this workspace is not trusted. Trust the folder (Manage Workspace Trust) to run it.');
        return;
      }
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file' || !uri.fsPath.endsWith('.py')) {
        void vscode.window.showErrorMessage('Fitcheck: Run with Monitor needs a Python script saved on this machine\'s disk.');
        return;
      }
      if (!bootstrap) {
        void vscode.window.showErrorMessage('Fitcheck: the run monitor (python/monitor) is missing from this installation.');
        return;
      }
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document?.isDirty) await document.save();
      const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
      const session = newSessionDir(folder);
      const python = await pythonInterpreter(uri);
      const env = monitorEnv(process.env, bootstrap, session);
      output.info(`Run with Monitor: ${python.path} ${uri.fsPath} (interpreter from ${python.from}); runs in ${session}`);
      const terminal = vscode.window.createTerminal({
        name: `Fitcheck: ${path.basename(uri.fsPath)}`,
        shellPath: python.path,
        shellArgs: [uri.fsPath],
        cwd: path.dirname(uri.fsPath),
        env: { PYTHONPATH: env.PYTHONPATH ?? null, FITCHECK_MONITOR_DIR: session, PYTHONUNBUFFERED: env.PYTHONUNBUFFERED ?? '1' },
        message: `Fitcheck monitors this run (${python.from}: ${python.path}); Stop Monitored Run ends it.`,
        iconPath: new vscode.ThemeIcon('pulse'),
      });
      terminal.show(true);
      running.add({ terminal, script: uri.fsPath });
      updateContext();
      // The session folder exists once the monitor writes; watching it now opens the panel then.
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(session));
      await vscode.commands.executeCommand('fitcheck.watchRun', vscode.Uri.file(session));
    }),
    vscode.commands.registerCommand('fitcheck.stopMonitoredRun', async () => {
      const list = [...running];
      if (list.length === 0) {
        void vscode.window.showInformationMessage('Fitcheck: no monitored run is going.');
        return;
      }
      const picked = list.length === 1 ? list[0] : (await vscode.window.showQuickPick(list.map((r) => ({ label: path.basename(r.script), description: r.script, run: r })), { placeHolder: 'Stop which run?' }))?.run;
      if (picked) await stopTerminal(picked.terminal);
    }),
  );
  updateContext();
}

/** SIGINT to the terminal's process group, SIGKILL if it is still there after `KILL_AFTER_MS`. */
async function stopTerminal(terminal: vscode.Terminal): Promise<void> {
  const pid = await terminal.processId;
  if (pid === undefined || terminal.exitStatus) return;
  // The terminal's process leads its own session and process group (a pty): -pid reaches the whole tree.
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGINT');
  setTimeout(() => { if (!terminal.exitStatus) signal('SIGKILL'); }, KILL_AFTER_MS);
}
