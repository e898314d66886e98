/** *Export PNG* and *Export CSV* of the run panel: a save dialog, then the file. */
import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunSeries } from './run-series.js';
import { pngFromDataUrl } from './png-data.js';
import { seriesCsv } from './series-csv.js';

/** Asks where to save (proposing `<run-id>.<ext>` in the first workspace folder) and writes the file. */
async function saveAs(runId: string, ext: 'png' | 'csv', data: Uint8Array | string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const defaultUri = folder ? vscode.Uri.file(path.join(folder.uri.fsPath, `${runId}.${ext}`)) : undefined;
  const target = await vscode.window.showSaveDialog({
    ...(defaultUri ? { defaultUri } : {}),
    filters: ext === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    title: ext === 'png' ? 'Export the charts as PNG' : 'Export the series as CSV',
  });
  if (!target) return;
  try {
    if (target.scheme === 'file') await fs.writeFile(target.fsPath, data);
    else await vscode.workspace.fs.writeFile(target, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  } catch (error) {
    void vscode.window.showErrorMessage(`Fitcheck: could not write ${target.fsPath}: ${(error as Error).message}`);
  }
}

/** Saves the series the host holds (not what the webview says it has) as CSV. */
export function exportCsv(runId: string, series: RunSeries): Promise<void> {
  return saveAs(runId, 'csv', seriesCsv(series.rows, series.header.layers));
}

/** Saves the charts' PNG from the webview; anything that is not a PNG is refused. */
export function exportPng(runId: string, dataUrl: string): Promise<void> {
  const png = pngFromDataUrl(dataUrl);
  if (!png) {
    void vscode.window.showErrorMessage('Fitcheck: the panel sent an invalid image; nothing was saved.');
    return Promise.resolve();
  }
  return saveAs(runId, 'png', png);
}
